/**
 * API keys (接口密钥) for source systems calling /api/v1. The clear key is shown once, at
 * creation; the database keeps its prefix and hash. Issue and revoke are audited.
 */
import { z } from "zod";
import { writeAudit, type Db } from "@mkt/db";
import type { Actor } from "../auth/actor";
import { API_KEY_SCOPES, generateApiKey } from "../auth/api-key";
import type { OrgScope } from "../auth/scope";

export const apiKeyRow = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  orgUnit: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string() }),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKeyRow = z.infer<typeof apiKeyRow>;

export async function listApiKeys(db: Db, scope: OrgScope): Promise<ApiKeyRow[]> {
  return db.apiKey.findMany({
    where: { orgUnit: { path: { startsWith: scope.orgPath } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      orgUnit: { select: { id: true, code: true, name: true, nameEn: true } },
    },
  });
}

export const apiKeyCreateInput = z.object({
  name: z.string().trim().min(1).max(80),
  /** The unit the key acts for: imports through it land in this unit. */
  orgUnitId: z.string().min(1),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateInput>;

export const apiKeyCreateOutput = z.object({ id: z.string(), prefix: z.string(), key: z.string() });

export async function createApiKey(
  db: Db,
  actor: Actor,
  input: ApiKeyCreateInput,
  ip: string | null,
  now = new Date(),
): Promise<z.infer<typeof apiKeyCreateOutput>> {
  const { key, prefix, secretHash } = generateApiKey();
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix,
        secretHash,
        scopes: [...new Set(input.scopes)],
        orgUnitId: input.orgUnitId,
        createdById: actor.id,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      },
    });
    await writeAudit(tx, {
      action: "API_KEY_CREATE",
      actor,
      targetType: "api_key",
      targetId: row.id,
      ip,
      details: { name: row.name, prefix, scopes: row.scopes, orgUnitId: row.orgUnitId },
    });
    return { id: row.id, prefix, key };
  });
}

/** Revoking is idempotent: a second revoke keeps the first time and writes no second row. */
export async function revokeApiKey(db: Db, actor: Actor, apiKeyId: string, ip: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id: apiKeyId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await writeAudit(tx, { action: "API_KEY_REVOKE", actor, targetType: "api_key", targetId: apiKeyId, ip });
  });
}
