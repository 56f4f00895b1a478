import base from "@microshop/eslint-config/base";

export default [
  ...base,
  // The Vitest global set-up hands the cluster's URL to the test workers through their environment.
  { files: ["src/vitest-setup.ts"], rules: { "no-restricted-properties": "off" } },
];
