/**
 * API keys for system-to-system routes. A key reads "mkt_<prefix>_<secret>"; the database keeps
 * the prefix (to find the row) and a SHA-256 of the whole key (to check it) — never the key.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export { API_KEY_SCOPES, type ApiKeyScope } from "./api-key-scopes";

export interface NewApiKey {
  key: string;
  prefix: string;
  secretHash: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString("hex");
  const secret = randomBytes(24).toString("base64url");
  const key = `mkt_${prefix}_${secret}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function parseApiKey(key: string): { prefix: string } | null {
  const m = /^mkt_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key);
  return m ? { prefix: m[1]! } : null;
}

export function apiKeyMatches(key: string, secretHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), "hex");
  const b = Buffer.from(secretHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
