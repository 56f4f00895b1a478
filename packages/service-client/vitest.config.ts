import { serviceTestConfig } from "@microshop/build-config/vitest";

export default serviceTestConfig;
