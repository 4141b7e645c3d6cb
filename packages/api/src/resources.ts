/**
 * Guarded builders for procedures that take a resource id. Each loads the row named by the id in
 * the input and checks it against the caller's scope in middleware, before the handler runs:
 * an id outside the scope answers NOT_FOUND, exactly as a non-existent id does, so a caller
 * cannot learn that another branch's customer exists. The loaded row is put on the context.
 *
 *   customerProcedure     input.customerId  → ctx.customer  (org path + assigned RM, canSeeCustomer)
 *   orgUnitProcedure      input.orgUnitId   → ctx.orgUnit   (canSeeOrgUnit)
 *   parentOrgUnitProcedure input.parentId   → ctx.parentOrgUnit
 *   userProcedure         input.userId      → ctx.targetUser (canSeeUser)
 *   apiKeyProcedure       input.apiKeyId    → ctx.apiKey    (the key's org unit in scope)
 *   …WithOptionalOrgUnit  input.orgUnitId?  → ctx.orgUnit | null (a filter or a move target)
 *
 * Each guard middleware is tagged with the input field it guards (GUARDED_FIELD) so the router
 * walk test can prove that every id-taking procedure is guarded.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canSeeCustomer, canSeeOrgUnit, canSeeUser, type OrgScope } from "@mkt/core";
import type { Db, OrgLevel } from "@mkt/db";
import { procedure } from "./trpc";

export const GUARDED_FIELD = Symbol("guardedField");

export interface ResourceSpec<T> {
  idField: string;
  id: z.ZodType<string | number>;
  load(db: Db, id: never): Promise<T | null>;
  visible(scope: OrgScope, row: T): boolean;
}

export interface GuardedCustomer {
  id: number;
  orgPath: string;
  rmId: string | null;
  orgUnitId: string;
}
export interface GuardedOrgUnit {
  id: string;
  code: string;
  path: string;
  level: OrgLevel;
}
export interface GuardedUser {
  id: string;
  orgPath: string;
}
export interface GuardedApiKey {
  id: string;
  orgPath: string;
}

const customerSpec: ResourceSpec<GuardedCustomer> = {
  idField: "customerId",
  id: z.number().int().positive(),
  load: (db, id: number) => db.customer.findUnique({ where: { id }, select: { id: true, orgPath: true, rmId: true, orgUnitId: true } }),
  visible: canSeeCustomer,
};

const orgUnitSpec = (idField: string): ResourceSpec<GuardedOrgUnit> => ({
  idField,
  id: z.string().min(1),
  load: (db, id: string) => db.orgUnit.findUnique({ where: { id }, select: { id: true, code: true, path: true, level: true } }),
  visible: (scope, unit) => canSeeOrgUnit(scope, unit.path),
});

const userSpec: ResourceSpec<GuardedUser> = {
  idField: "userId",
  id: z.string().min(1),
  load: async (db, id: string) => {
    const u = await db.user.findUnique({ where: { id }, select: { id: true, orgUnit: { select: { path: true } } } });
    return u && { id: u.id, orgPath: u.orgUnit.path };
  },
  visible: canSeeUser,
};

const apiKeySpec: ResourceSpec<GuardedApiKey> = {
  idField: "apiKeyId",
  id: z.string().min(1),
  load: async (db, id: string) => {
    const k = await db.apiKey.findUnique({ where: { id }, select: { id: true, orgUnit: { select: { path: true } } } });
    return k && { id: k.id, orgPath: k.orgUnit.path };
  },
  visible: (scope, key) => canSeeOrgUnit(scope, key.orgPath),
};

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "未找到 / not found" });

function idFrom<T>(rawInput: unknown, spec: ResourceSpec<T>): string | number | null {
  const raw = rawInput && typeof rawInput === "object" ? (rawInput as Record<string, unknown>)[spec.idField] : undefined;
  if (raw === undefined || raw === null) return null;
  const id = spec.id.safeParse(raw);
  if (!id.success) throw new TRPCError({ code: "BAD_REQUEST", message: `invalid ${spec.idField}` });
  return id.data;
}

async function loadVisible<T>(ctx: { db: Db; scope: OrgScope }, id: string | number, spec: ResourceSpec<T>): Promise<T> {
  const row = await spec.load(ctx.db, id as never);
  if (!row || !spec.visible(ctx.scope, row)) throw notFound();
  return row;
}

/** The resource the input names, visible to the caller — or NOT_FOUND. */
async function required<T>(ctx: { db: Db; scope: OrgScope }, rawInput: unknown, spec: ResourceSpec<T>): Promise<T> {
  const id = idFrom(rawInput, spec);
  if (id === null) throw new TRPCError({ code: "BAD_REQUEST", message: `${spec.idField} is required` });
  return loadVisible(ctx, id, spec);
}

/** As `required`, but an absent id gives null. */
async function optional<T>(ctx: { db: Db; scope: OrgScope }, rawInput: unknown, spec: ResourceSpec<T>): Promise<T | null> {
  const id = idFrom(rawInput, spec);
  return id === null ? null : loadVisible(ctx, id, spec);
}

/** Tags the builder's last middleware with the input field it guards (read by the router walk). */
function tagged<B extends { _def: { middlewares: unknown[] } }>(builder: B, field: string): B {
  const last = builder._def.middlewares[builder._def.middlewares.length - 1] as Record<symbol, unknown>;
  last[GUARDED_FIELD] = field;
  return builder;
}

/**
 * A procedure builder guarded by `spec`: the row is loaded and scope-checked, then put on the
 * context as `ctx[ctxKey]`. Other domains build their own (an import batch by its org unit, …).
 */
export function resourceProcedure<K extends string, T>(ctxKey: K, spec: ResourceSpec<T>) {
  return tagged(
    procedure.use(async ({ ctx, getRawInput, next }) =>
      next({ ctx: { [ctxKey]: await required(ctx, await getRawInput(), spec) } as Record<K, T> }),
    ),
    spec.idField,
  );
}

export const customerProcedure = resourceProcedure("customer", customerSpec);
export const orgUnitProcedure = resourceProcedure("orgUnit", orgUnitSpec("orgUnitId"));
export const parentOrgUnitProcedure = resourceProcedure("parentOrgUnit", orgUnitSpec("parentId"));
export const userProcedure = resourceProcedure("targetUser", userSpec);
export const apiKeyProcedure = resourceProcedure("apiKey", apiKeySpec);

/** For an optional `orgUnitId` (a list filter): absent = null; present but out of scope = NOT_FOUND. */
export const optionalOrgUnitProcedure = tagged(
  procedure.use(async ({ ctx, getRawInput, next }) =>
    next({ ctx: { orgUnit: await optional(ctx, await getRawInput(), orgUnitSpec("orgUnitId")) } }),
  ),
  "orgUnitId",
);

/**
 * Two optional staff-user ids under their own names (a tag's business and technical owner): each
 * absent = unchanged; present but out of scope = NOT_FOUND.
 */
export function optionalUsersProcedure(first: string, second: string) {
  const one = tagged(
    procedure.use(async ({ ctx, getRawInput, next }) => (await optional(ctx, await getRawInput(), { ...userSpec, idField: first }), next())),
    first,
  );
  return tagged(
    one.use(async ({ ctx, getRawInput, next }) => (await optional(ctx, await getRawInput(), { ...userSpec, idField: second }), next())),
    second,
  );
}

/** A user procedure that may also move the user: an optional target `orgUnitId`, guarded too. */
export const userWithOptionalOrgUnitProcedure = tagged(
  userProcedure.use(async ({ ctx, getRawInput, next }) =>
    next({ ctx: { orgUnit: await optional(ctx, await getRawInput(), orgUnitSpec("orgUnitId")) } }),
  ),
  "orgUnitId",
);
