import type { AppRouter } from "@mkt/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** Procedure outputs and inputs as the console receives them (after superjson). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
