/**
 * API-key authentication of system-to-system routes (/api/v1/*). The key comes as
 * `Authorization: Bearer mkt_<prefix>_<secret>` (or `X-Api-Key`); the row is found by prefix and
 * checked by hash in constant time. A key acts for its org unit and only for its scopes
 * (permission names such as "import:write").
 *   401 — no key, malformed, unknown, wrong secret, revoked or expired (one message for all, so a
 *         caller cannot probe which keys exist)
 *   403 — a valid key without the required scope
 */
import { apiKeyMatches, parseApiKey } from "@mkt/core";
import type { ApiKey, Db, OrgUnit } from "@mkt/db";
import { HttpError } from "./errors";

export interface ApiKeyPrincipal {
  apiKey: ApiKey;
  orgUnit: OrgUnit;
}

function presentedKey(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    return m ? m[1]! : null;
  }
  return request.headers.get("x-api-key")?.trim() || null;
}

/** How stale an API key's `lastUsedAt` may be. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const UNAUTHORIZED = () =>
  new HttpError(401, "invalid or missing API key", undefined, { "WWW-Authenticate": 'Bearer realm="api"' });

export async function authenticateApiKey(db: Db, request: Request, requiredScope: string): Promise<ApiKeyPrincipal> {
  const key = presentedKey(request);
  const parsed = key ? parseApiKey(key) : null;
  if (!key || !parsed) throw UNAUTHORIZED();

  const apiKey = await db.apiKey.findUnique({ where: { prefix: parsed.prefix }, include: { orgUnit: true } });
  if (!apiKey || !apiKeyMatches(key, apiKey.secretHash)) throw UNAUTHORIZED();
  const now = new Date();
  if (apiKey.revokedAt || (apiKey.expiresAt && apiKey.expiresAt <= now)) throw UNAUTHORIZED();
  if (!apiKey.scopes.includes(requiredScope)) {
    throw new HttpError(403, `API key lacks scope ${requiredScope}`);
  }

  // "Last used" to the minute: a busy key (events at 1,000/s) is not rewritten on every request,
  // which would serialise its concurrent requests on the row lock and a commit each.
  if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id: apiKey.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] }, data: { lastUsedAt: now } });
  }
  const { orgUnit, ...row } = apiKey;
  return { apiKey: row, orgUnit };
}
