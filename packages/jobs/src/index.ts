export * from "./queues";
export * from "./redis";
export * from "./client";
export * from "./contract";
export * from "./heartbeat";
export * from "./maintenance";
export * from "./import";
export * from "./tags";
