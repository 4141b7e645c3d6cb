/** Calls any procedure of the app router by its dotted path, as a given context. */
import { TRPCError } from "@trpc/server";
import { appRouter } from "../src/root";
import type { Context } from "../src/context";
import { createCallerFactory } from "../src/trpc";

const createCaller = createCallerFactory(appRouter);

export type AnyProcedure = {
  _def: { type: string; meta?: Record<string, unknown>; inputs: unknown[]; middlewares: unknown[] };
};

export function procedures(): [string, AnyProcedure][] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);
}

export function callPath(ctx: Context, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx));
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

/** The tRPC error code a call ends with, or "OK". */
export async function outcome(ctx: Context, path: string, input: unknown): Promise<string> {
  try {
    await callPath(ctx, path, input);
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}
