import base from "@microshop/eslint-config/base";

export default [
  ...base,
  // The e2e suite is test support: it reads where the stack under test runs, and starts it.
  { files: ["**/*.ts"], rules: { "no-restricted-properties": "off" } },
];
