export * from "./auth/permissions";
export * from "./auth/scope";
export * from "./auth/masking";
