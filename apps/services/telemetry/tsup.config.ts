import { nodeProcessBuild } from "@microshop/build-config/tsup";
import { defineConfig } from "tsup";

export default defineConfig(nodeProcessBuild({ main: "src/main.ts" }));
