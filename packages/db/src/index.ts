export * from "./client";
export * from "./pg-config";
export * from "./audit";
export * from "./generated/prisma/client";
export type * from "./generated/prisma/models";
