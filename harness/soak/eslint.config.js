import base from "@microshop/eslint-config/base";

export default [
  ...base,
  // Soak programs are scripts: they start the stack they stress with an environment built from their own.
  { files: ["**/*.ts"], rules: { "no-restricted-properties": "off" } },
];
