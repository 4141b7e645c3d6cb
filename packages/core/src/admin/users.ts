/**
 * Staff users (用户与角色). Listing is scoped to the caller's subtree; creating and changing users
 * is an admin action. Role and org-unit changes are audited as PERMISSION_CHANGE (they change what
 * the user may see); other edits as USER_UPDATE. Passwords are argon2id-hashed into the
 * better-auth credential row; a reset or deactivation ends the user's open sessions.
 */
import { z } from "zod";
import { writeAudit, type Db, type Prisma } from "@mkt/db";
import type { Actor } from "../auth/actor";
import { hashPassword } from "../auth/password";
import { ROLES } from "../auth/permissions";
import type { OrgScope } from "../auth/scope";
import { userScopeWhere } from "../auth/scope-query";
import { DomainError } from "../domain-error";

/** The sign-in library's username rule (better-auth username plugin), stored lower-case. */
const username = z
  .string()
  .trim()
  .min(3)
  .max(30)
  .regex(/^[a-zA-Z0-9_.]+$/, "letters, digits, '_' and '.' only")
  .transform((u) => u.toLowerCase());
const password = z.string().min(10, "at least 10 characters").max(128);
const role = z.enum(ROLES);

export const userListInput = z.object({
  orgUnitId: z.string().min(1).optional(),
  role: role.optional(),
  active: z.boolean().optional(),
  /** Username, name or employee number fragment. */
  q: z.string().trim().min(1).max(50).optional(),
  cursor: z.string().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type UserListInput = z.infer<typeof userListInput>;

export const userRow = z.object({
  id: z.string(),
  username: z.string().nullable(),
  name: z.string(),
  email: z.string(),
  role,
  orgUnit: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string(), path: z.string() }),
  employeeNo: z.string().nullable(),
  active: z.boolean(),
  locale: z.string(),
  createdAt: z.date(),
});
export type UserRow = z.infer<typeof userRow>;

export const userListOutput = z.object({ items: z.array(userRow), nextCursor: z.string().nullable() });

const rowSelect = {
  id: true,
  username: true,
  name: true,
  email: true,
  role: true,
  employeeNo: true,
  active: true,
  locale: true,
  createdAt: true,
  orgUnit: { select: { id: true, code: true, name: true, nameEn: true, path: true } },
} satisfies Prisma.UserSelect;

/** Users in the caller's scope, optionally under one (already scope-checked) unit's subtree. */
export async function listUsers(
  db: Db,
  scope: OrgScope,
  input: UserListInput,
  under: { path: string } | null,
): Promise<z.infer<typeof userListOutput>> {
  const where: Prisma.UserWhereInput = {
    AND: [
      userScopeWhere(scope),
      under ? { orgUnit: { path: { startsWith: under.path } } } : {},
      input.role ? { role: input.role } : {},
      input.active !== undefined ? { active: input.active } : {},
      input.q
        ? {
            OR: [
              { username: { contains: input.q, mode: "insensitive" } },
              { name: { contains: input.q, mode: "insensitive" } },
              { employeeNo: { contains: input.q, mode: "insensitive" } },
            ],
          }
        : {},
      input.cursor ? { id: { gt: input.cursor } } : {},
    ],
  };
  const rows = await db.user.findMany({ where, orderBy: { id: "asc" }, take: input.limit + 1, select: rowSelect });
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}

export const userCreateInput = z.object({
  username,
  name: z.string().trim().min(1).max(60),
  email: z.email().max(120),
  role,
  orgUnitId: z.string().min(1),
  employeeNo: z.string().trim().min(1).max(30).optional(),
  phone: z.string().trim().max(30).optional(),
  password,
});
export type UserCreateInput = z.infer<typeof userCreateInput>;

async function assertUnique(db: Db, fields: { username?: string; email?: string; employeeNo?: string }, exceptId?: string) {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const other = await db.user.findFirst({ where: { [field]: value, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
    if (other) throw new DomainError("CONFLICT", `${field} already in use`);
  }
}

export async function createUser(db: Db, actor: Actor, input: UserCreateInput, ip: string | null): Promise<{ id: string }> {
  await assertUnique(db, { username: input.username, email: input.email, employeeNo: input.employeeNo });
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        username: input.username,
        displayUsername: input.username,
        name: input.name,
        email: input.email,
        role: input.role,
        orgUnitId: input.orgUnitId,
        employeeNo: input.employeeNo ?? null,
        phone: input.phone ?? null,
      },
    });
    await tx.authAccount.create({ data: { userId: user.id, accountId: user.id, providerId: "credential", password: passwordHash } });
    await writeAudit(tx, {
      action: "USER_CREATE",
      actor,
      targetType: "user",
      targetId: user.id,
      ip,
      details: { username: user.username, role: user.role, orgUnitId: user.orgUnitId },
    });
    return { id: user.id };
  });
}

export const userUpdateInput = z.object({
  userId: z.string().min(1),
  name: z.string().trim().min(1).max(60).optional(),
  email: z.email().max(120).optional(),
  role: role.optional(),
  /** Moving a user to another unit: the target unit must be in the caller's scope too. */
  orgUnitId: z.string().min(1).optional(),
  employeeNo: z.string().trim().min(1).max(30).nullish(),
  phone: z.string().trim().max(30).nullish(),
  /** A password reset; ends the user's sessions. */
  password: password.optional(),
});
export type UserUpdateInput = z.infer<typeof userUpdateInput>;

export async function updateUser(db: Db, actor: Actor, input: UserUpdateInput, ip: string | null): Promise<void> {
  const { userId, password: newPassword, role: newRole, orgUnitId, ...profile } = input;
  const before = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (userId === actor.id && newRole !== undefined && newRole !== before.role) {
    throw new DomainError("BAD_REQUEST", "you cannot change your own role");
  }
  await assertUnique(db, { email: profile.email, employeeNo: profile.employeeNo ?? undefined }, userId);

  const profileData = Object.fromEntries(Object.entries(profile).filter(([k, v]) => v !== undefined && v !== before[k as keyof typeof before]));
  const roleChanged = newRole !== undefined && newRole !== before.role;
  const orgChanged = orgUnitId !== undefined && orgUnitId !== before.orgUnitId;
  const passwordHash = newPassword ? await hashPassword(newPassword) : null;

  await db.$transaction(async (tx) => {
    if (Object.keys(profileData).length > 0 || roleChanged || orgChanged) {
      await tx.user.update({
        where: { id: userId },
        data: { ...profileData, ...(roleChanged ? { role: newRole } : {}), ...(orgChanged ? { orgUnitId } : {}) },
      });
    }
    if (roleChanged || orgChanged) {
      await writeAudit(tx, {
        action: "PERMISSION_CHANGE",
        actor,
        targetType: "user",
        targetId: userId,
        ip,
        details: {
          from: { role: before.role, orgUnitId: before.orgUnitId },
          to: { role: newRole ?? before.role, orgUnitId: orgUnitId ?? before.orgUnitId },
        },
      });
    }
    if (passwordHash) {
      const updated = await tx.authAccount.updateMany({ where: { userId, providerId: "credential" }, data: { password: passwordHash } });
      if (updated.count === 0) {
        await tx.authAccount.create({ data: { userId, accountId: userId, providerId: "credential", password: passwordHash } });
      }
      await tx.session.deleteMany({ where: { userId } });
    }
    const fields = [...Object.keys(profileData), ...(passwordHash ? ["password"] : [])];
    if (fields.length > 0) {
      await writeAudit(tx, { action: "USER_UPDATE", actor, targetType: "user", targetId: userId, ip, details: { fields } });
    }
  });
}

export const userSetActiveInput = z.object({ userId: z.string().min(1), active: z.boolean() });

/** Disabling a user ends their sessions at once; a disabled user cannot sign in. */
export async function setUserActive(db: Db, actor: Actor, userId: string, active: boolean, ip: string | null): Promise<void> {
  if (userId === actor.id && !active) throw new DomainError("BAD_REQUEST", "you cannot disable yourself");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { active } });
    if (!active) await tx.session.deleteMany({ where: { userId } });
    await writeAudit(tx, { action: "USER_UPDATE", actor, targetType: "user", targetId: userId, ip, details: { active } });
  });
}
