import type { Options } from "tsup";

export declare function nodeProcessBuild(entry: Record<string, string>): Options;
