/**
 * Download links: `/api/exports/<id>?exp=<ms>&sig=<hmac>`. The signature binds the export id to
 * the expiry, so a link cannot be stretched; the route also checks the row's own `expiresAt`,
 * the session, the permission and that the caller requested the export.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const sign = (secret: string, id: string, exp: number) => createHmac("sha256", secret).update(`${id}.${exp}`).digest("base64url");

export function downloadUrl(secret: string, id: string, expiresAt: Date): string {
  const exp = expiresAt.getTime();
  return `/api/exports/${encodeURIComponent(id)}?exp=${exp}&sig=${sign(secret, id, exp)}`;
}

export type LinkCheck = "ok" | "bad-signature" | "expired";

export function checkDownloadLink(secret: string, id: string, exp: string | null, sig: string | null, now = new Date()): LinkCheck {
  const ms = Number(exp);
  if (!exp || !sig || !Number.isSafeInteger(ms)) return "bad-signature";
  const want = Buffer.from(sign(secret, id, ms));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return "bad-signature";
  return ms <= now.getTime() ? "expired" : "ok";
}
