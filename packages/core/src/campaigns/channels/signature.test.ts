import { describe, expect, it } from "vitest";
import { MemoryReplayGuard, sign, signedHeaders, verifySignature } from "./signature";

const secret = "s".repeat(32);
const now = new Date("2026-11-30T09:00:00Z");

describe("webhook signatures", () => {
  it("accepts its own signature inside the window", () => {
    const body = '{"events":[]}';
    const h = signedHeaders(secret, body, now);
    expect(verifySignature({ secret, timestamp: h["x-mkt-timestamp"]!, signature: h["x-mkt-signature"]!, body, now, windowSeconds: 300 })).toMatchObject({ ok: true });
  });

  it("refuses tampered bodies, other secrets, stale or future timestamps, missing headers", () => {
    const body = '{"a":1}';
    const ts = Math.floor(now.getTime() / 1000);
    const check = (o: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({ secret, timestamp: String(ts), signature: sign(secret, ts, body), body, now, windowSeconds: 300, ...o });
    expect(check({ body: '{"a":2}' })).toEqual({ ok: false, reason: "bad-signature" });
    expect(check({ signature: sign("x".repeat(32), ts, body) })).toEqual({ ok: false, reason: "bad-signature" });
    expect(check({ timestamp: String(ts - 301), signature: sign(secret, ts - 301, body) })).toEqual({ ok: false, reason: "stale" });
    expect(check({ timestamp: String(ts + 301), signature: sign(secret, ts + 301, body) })).toEqual({ ok: false, reason: "stale" });
    expect(check({ timestamp: String(ts - 300), signature: sign(secret, ts - 300, body) }).ok).toBe(true);
    expect(check({ signature: null })).toEqual({ ok: false, reason: "missing-signature" });
    expect(check({ timestamp: "12a" })).toEqual({ ok: false, reason: "bad-timestamp" });
  });

  it("remembers signatures against replay", async () => {
    const guard = new MemoryReplayGuard();
    expect(await guard.firstSeen("v1=abc", 300)).toBe(true);
    expect(await guard.firstSeen("v1=abc", 300)).toBe(false);
    expect(await guard.firstSeen("v1=def", 300)).toBe(true);
  });
});
