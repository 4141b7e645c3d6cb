/**
 * Signed HTTP webhooks, both ways (our pushes to the app-push / WeChat gateway, and its delivery
 * callbacks to us): HMAC-SHA256 over `<timestamp>.<raw body>` with the channel's shared secret.
 *   X-Mkt-Timestamp: unix seconds
 *   X-Mkt-Signature: v1=<hex>
 * A receiver refuses a missing or wrong signature, a timestamp outside the replay window (either
 * direction), and — through a `ReplayGuard` — a signature it has already seen inside the window.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TIMESTAMP_HEADER = "x-mkt-timestamp";
export const SIGNATURE_HEADER = "x-mkt-signature";

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function signedHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: sign(secret, timestamp, body) };
}

export type SignatureCheck = { ok: true; signature: string } | { ok: false; reason: "missing-signature" | "bad-timestamp" | "stale" | "bad-signature" };

export function verifySignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: string;
  now?: Date;
  windowSeconds: number;
}): SignatureCheck {
  if (!input.timestamp || !input.signature) return { ok: false, reason: "missing-signature" };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: "bad-timestamp" };
  const ts = Number(input.timestamp);
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > input.windowSeconds) return { ok: false, reason: "stale" };
  const expected = Buffer.from(sign(input.secret, ts, input.body));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad-signature" };
  return { ok: true, signature: input.signature };
}

/**
 * Remembers accepted signatures for the replay window: `firstSeen` is false for a replay;
 * `forget` releases one whose request was not processed (so the sender may retry it).
 */
export interface ReplayGuard {
  firstSeen(signature: string, ttlSeconds: number): Promise<boolean>;
  forget(signature: string): Promise<void>;
}

export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  async firstSeen(signature: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    for (const [s, until] of this.seen) if (until < now) this.seen.delete(s);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, now + ttlSeconds * 1000);
    return true;
  }

  async forget(signature: string): Promise<void> {
    this.seen.delete(signature);
  }
}
