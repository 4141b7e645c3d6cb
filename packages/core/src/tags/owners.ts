/**
 * A tag's owners: the business owner answers for its definition (口径), the technical owner for
 * its computation; both receive its drift alerts. Reassigning them is audited. Candidates are the
 * active head-office-style roles within the caller's org subtree (the router checks each id's
 * scope before this runs).
 */
import { writeAudit, type Db } from "@mkt/db";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { OrgScope } from "../auth/scope";
import { DomainError } from "../domain-error";

const OWNER_ROLES = ["ADMIN", "MARKETING_MANAGER", "ANALYST", "APPROVER", "BRANCH_MANAGER"] as const;

export const setOwnersInput = z
  .strictObject({ code: z.string().max(64), businessOwnerId: z.string().min(1).max(64).optional(), technicalOwnerId: z.string().min(1).max(64).optional() })
  .refine((x) => x.businessOwnerId || x.technicalOwnerId, "name a business or a technical owner");

export const ownerCandidatesOutput = z.array(z.object({ id: z.string(), name: z.string(), role: z.string() }));

export async function ownerCandidates(db: Db, scope: OrgScope): Promise<z.infer<typeof ownerCandidatesOutput>> {
  if (scope.kind === "rm") return [];
  return db.user.findMany({
    where: { active: true, role: { in: [...OWNER_ROLES] }, orgUnit: { path: { startsWith: scope.orgPath } } },
    select: { id: true, name: true, role: true },
    orderBy: [{ role: "asc" }, { name: "asc" }],
  });
}

export async function setTagOwners(db: Db, actor: Actor, tagId: number, owners: { businessOwnerId?: string; technicalOwnerId?: string }): Promise<void> {
  const ids = [owners.businessOwnerId, owners.technicalOwnerId].filter((x): x is string => !!x);
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, active: true, role: true } });
  for (const id of ids) {
    const u = users.find((x) => x.id === id);
    if (!u) throw new DomainError("NOT_FOUND", "user not found");
    if (!u.active || !(OWNER_ROLES as readonly string[]).includes(u.role)) throw new DomainError("BAD_REQUEST", "an owner must be an active staff user with a head-office or branch-manager role");
  }
  const tag = await db.tag.findUnique({ where: { id: tagId }, select: { code: true, businessOwnerId: true, technicalOwnerId: true } });
  if (!tag) throw new DomainError("NOT_FOUND", "tag not found");
  const data = { ...(owners.businessOwnerId ? { businessOwnerId: owners.businessOwnerId } : {}), ...(owners.technicalOwnerId ? { technicalOwnerId: owners.technicalOwnerId } : {}) };
  await db.$transaction(async (tx) => {
    await tx.tag.update({ where: { id: tagId }, data });
    await writeAudit(tx, { action: "SETTINGS_CHANGE", actor, targetType: "tag", targetId: tag.code, details: { owners: { from: { business: tag.businessOwnerId, technical: tag.technicalOwnerId }, to: data } } });
  });
}
