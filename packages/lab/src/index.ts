export * from "./faults";
export * from "./describe-fault";
export * from "./feed";
export * from "./load";
export * from "./control-plane";
export * from "./scenarios";
