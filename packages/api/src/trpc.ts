/**
 * The tRPC contract. Every procedure is built from `procedure` and MUST declare
 *   .meta({ permission, scope })
 * — `permission` from packages/core (or "public" for sign-in-free calls) and `scope`:
 *   "org"    the handler sees only the caller's org subtree (an RM: own customers) via ctx.scope,
 *   "self"   the handler touches only the caller's own records,
 *   "global" head-office administration (the permission alone decides),
 *   "none"   public (no user).
 * The middleware below fails closed: a procedure without meta is refused at call time, and
 * test/router-guard.integration.test.ts walks the router so none ships without it.
 * Procedures that take the id of a customer, org unit, user or API key are built from the
 * guarded builders in resources.ts, which load the row and check it against the caller's scope
 * before the handler runs (out of scope = NOT_FOUND).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { hasPermission, scopeFor, type OrgScope, type Permission } from "@mkt/core";
import { DomainError } from "@mkt/core/domain-error";
import type { Context, SessionUser } from "./context";

export type ProcedureScope = "org" | "self" | "global" | "none";
export interface ProcedureMeta {
  permission: Permission | "public";
  scope: ProcedureScope;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      return { ...shape, data: { ...shape.data, zodError } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Enforces meta: permission by role, and narrows the context to a signed-in user with a scope. */
const guard = t.middleware(async ({ ctx, meta, next, path }) => {
  if (!meta?.permission || !meta.scope) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `procedure ${path} declares no permission/scope` });
  }
  if (meta.permission === "public") {
    if (meta.scope !== "none") throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `public procedure ${path} must have scope "none"` });
    return next({ ctx: { ...ctx, user: ctx.user, scope: null } });
  }
  const user: SessionUser | null = ctx.user;
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录 / sign-in required" });
  if (!hasPermission(user.role, meta.permission)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `权限不足 / missing permission ${meta.permission}` });
  }
  const scope: OrgScope = scopeFor(user);
  return next({ ctx: { ...ctx, user, scope } });
});

/** A use case's DomainError becomes the tRPC error of the same code (not a 500). */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message });
  }
  return result;
});

/** Public procedures (sign-in, health): `.meta({ permission: "public", scope: "none" })`. */
export const publicProcedure = t.procedure.use(guard).use(domainErrors);

/** Everything else. The context is narrowed: `ctx.user` and `ctx.scope` are always set. */
export const procedure = t.procedure.use(guard).use(domainErrors).use(({ ctx, next }) => {
  if (!ctx.user || !ctx.scope) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { ...ctx, user: ctx.user, scope: ctx.scope } });
});
