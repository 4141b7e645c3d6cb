/**
 * The org scope as query filters, for list queries (search, lists, counts, exports). The single
 * source of the rule stays scope.ts (`canSeeCustomer`, …); these are the same rule in SQL.
 * Paths are matched by prefix: "/HO/BR01/" never matches "/HO/BR010/" thanks to the trailing
 * slash, and org codes are restricted to [A-Z0-9] so no LIKE wildcard can appear in a path.
 */
import { Prisma } from "@mkt/db";
import type { OrgScope } from "./scope";

/** Prisma `where` for customers visible in a scope. */
export function customerScopeWhere(scope: OrgScope): Prisma.CustomerWhereInput {
  return scope.kind === "rm"
    ? { orgPath: { startsWith: scope.orgPath }, rmId: scope.rmId }
    : { orgPath: { startsWith: scope.orgPath } };
}

/**
 * SQL condition for customers visible in a scope, for raw queries over `customer` (alias given).
 *   prisma.$queryRaw`SELECT … FROM customer c WHERE ${customerScopeSql(scope, "c")} AND …`
 */
export function customerScopeSql(scope: OrgScope, alias = "customer"): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`"${alias}"."${name}"`);
  const subtree = Prisma.sql`${col("org_path")} LIKE ${`${scope.orgPath}%`}`;
  return scope.kind === "rm" ? Prisma.sql`(${subtree} AND ${col("rm_id")} = ${scope.rmId})` : subtree;
}

/** Prisma `where` for org units in the caller's subtree. */
export function orgUnitScopeWhere(scope: OrgScope): Prisma.OrgUnitWhereInput {
  return { path: { startsWith: scope.orgPath } };
}

/** Prisma `where` for staff users visible in a scope (an RM: only themself). */
export function userScopeWhere(scope: OrgScope): Prisma.UserWhereInput {
  return scope.kind === "rm" ? { id: scope.rmId } : { orgUnit: { path: { startsWith: scope.orgPath } } };
}
