import { serviceTestConfig } from "@microshop/build-config/vitest";

// Rendering shells out to kubectl, which takes seconds on a busy machine: the shared time budget.
export default serviceTestConfig;
