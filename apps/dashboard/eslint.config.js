export { default } from "@microshop/eslint-config/react";
