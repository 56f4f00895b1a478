import base from "@microshop/eslint-config/base";

export default [
  ...base,
  // Deploy scripts run on an operator's machine: KUBECTL and SERVICE_TOKEN_SECRET are theirs to set.
  { files: ["**/*.ts"], rules: { "no-restricted-properties": "off" } },
];
