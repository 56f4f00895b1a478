export { default } from "@microshop/eslint-config/base";
