/**
 * The org tree (机构树): head office → branches → sub-branches, kept as materialised paths.
 * Reading is scoped to the caller's subtree; creating and renaming are admin actions, audited as
 * ORG_CHANGE. A unit's code and parent never change once created: customers, users and every
 * scoped query carry its path.
 */
import { z } from "zod";
import { writeAudit, type Db, type OrgLevel } from "@mkt/db";
import type { OrgScope } from "../auth/scope";
import { orgUnitScopeWhere } from "../auth/scope-query";
import { DomainError } from "../domain-error";
import type { Actor } from "../auth/actor";

export const orgUnitOutput = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  level: z.enum(["HEAD_OFFICE", "BRANCH", "SUB_BRANCH"]),
  parentId: z.string().nullable(),
  path: z.string(),
  region: z.string().nullable(),
  userCount: z.number(),
  createdAt: z.date(),
});
export type OrgUnitOutput = z.infer<typeof orgUnitOutput>;

/** The caller's subtree as a flat list ordered by path (parents before children). */
export async function listOrgTree(db: Db, scope: OrgScope): Promise<OrgUnitOutput[]> {
  const units = await db.orgUnit.findMany({
    where: orgUnitScopeWhere(scope),
    orderBy: { path: "asc" },
    include: { _count: { select: { users: true } } },
  });
  return units.map(({ _count, ...u }) => ({
    id: u.id,
    code: u.code,
    name: u.name,
    nameEn: u.nameEn,
    level: u.level,
    parentId: u.parentId,
    path: u.path,
    region: u.region,
    userCount: _count.users,
    createdAt: u.createdAt,
  }));
}

const names = {
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(100),
  region: z.string().trim().max(40).nullish(),
};

export const orgCreateInput = z.object({
  parentId: z.string().min(1),
  /** Upper-case letters and digits only: the code becomes a path segment matched by prefix. */
  code: z.string().trim().regex(/^[A-Z0-9]{2,16}$/, "2–16 upper-case letters or digits"),
  ...names,
});
export type OrgCreateInput = z.infer<typeof orgCreateInput>;

export const orgUpdateInput = z.object({
  orgUnitId: z.string().min(1),
  name: names.name.optional(),
  nameEn: names.nameEn.optional(),
  region: names.region,
});
export type OrgUpdateInput = z.infer<typeof orgUpdateInput>;

const CHILD_LEVEL: Record<OrgLevel, OrgLevel | null> = { HEAD_OFFICE: "BRANCH", BRANCH: "SUB_BRANCH", SUB_BRANCH: null };

export async function createOrgUnit(
  db: Db,
  actor: Actor,
  parent: { id: string; path: string; level: OrgLevel },
  input: OrgCreateInput,
  ip: string | null,
): Promise<{ id: string; path: string }> {
  const level = CHILD_LEVEL[parent.level];
  if (!level) throw new DomainError("BAD_REQUEST", "a sub-branch cannot have child units");
  if (await db.orgUnit.findUnique({ where: { code: input.code }, select: { id: true } })) {
    throw new DomainError("CONFLICT", `org code ${input.code} already exists`);
  }
  return db.$transaction(async (tx) => {
    const unit = await tx.orgUnit.create({
      data: {
        code: input.code,
        name: input.name,
        nameEn: input.nameEn,
        region: input.region ?? null,
        level,
        parentId: parent.id,
        path: `${parent.path}${input.code}/`,
      },
    });
    await writeAudit(tx, {
      action: "ORG_CHANGE",
      actor,
      targetType: "org_unit",
      targetId: unit.id,
      ip,
      details: { op: "create", code: unit.code, path: unit.path, level },
    });
    return { id: unit.id, path: unit.path };
  });
}

export async function updateOrgUnit(db: Db, actor: Actor, input: OrgUpdateInput, ip: string | null): Promise<void> {
  const { orgUnitId, ...changes } = input;
  const before = await db.orgUnit.findUniqueOrThrow({ where: { id: orgUnitId } });
  const data = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const changed = Object.keys(data).filter((k) => data[k] !== before[k as keyof typeof before]);
  if (changed.length === 0) return;
  await db.$transaction(async (tx) => {
    await tx.orgUnit.update({ where: { id: orgUnitId }, data });
    await writeAudit(tx, {
      action: "ORG_CHANGE",
      actor,
      targetType: "org_unit",
      targetId: orgUnitId,
      ip,
      details: { op: "update", code: before.code, fields: changed },
    });
  });
}
