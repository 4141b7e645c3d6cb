export { appRouter, type AppRouter } from "./root";
export { createCallerFactory } from "./trpc";
export { createContext, type Context, type SessionUser } from "./context";
