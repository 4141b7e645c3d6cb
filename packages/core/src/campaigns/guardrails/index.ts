export * from "./reasons";
export * from "./consent";
export * from "./restrictions";
export * from "./suitability";
export * from "./quiet-hours";
export * from "./frequency";
export * from "./control-group";
export * from "./evaluate";
