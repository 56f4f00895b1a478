import type { ViteUserConfig } from "vitest/config";

export declare const serviceTestConfig: ViteUserConfig;

/** How long a test waits for something that must happen before it calls it stuck. */
export declare const waitBudgetMs: number;
