import base from "@microshop/eslint-config/base";

export default [
  ...base,
  // Bench programs are scripts: they start what they measure with an environment built from their own.
  { files: ["**/*.ts"], rules: { "no-restricted-properties": "off" } },
  // Preloaded into every process of a stack (`node --import`): plain JavaScript, Node's globals.
  {
    files: ["preload/**/*.mjs"],
    languageOptions: { globals: { process: "readonly" } },
    rules: { "no-restricted-properties": "off" },
  },
];
