export * from "./auth/permissions";
export * from "./auth/scope";
export * from "./auth/masking";
export * from "./auth/password";
export * from "./auth/api-key";
