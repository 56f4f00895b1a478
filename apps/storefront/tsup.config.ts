import { nodeProcessBuild } from "@microshop/build-config/tsup";
import { defineConfig } from "tsup";

// The production server (src/front-door/main.ts), next to Next.js's own build in .next.
export default defineConfig({ ...nodeProcessBuild({ server: "src/front-door/main.ts" }), clean: false });
