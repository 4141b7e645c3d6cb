import { describe, expect, it } from "vitest";
import { parseChannelEnv } from "../channels/env";
import { parseShortLinkCode, shortLinkCode, shortLinkFor, shortLinkUrl } from "./short-link";

const key = Buffer.from("k".repeat(32));

describe("short link codes", () => {
  it("round-trips contact ids and stays short", () => {
    for (const id of ["1", "61", "62", "1000000", "9007199254740993"]) {
      const code = shortLinkCode(key, id);
      expect(parseShortLinkCode(key, code)).toBe(id);
      expect(code).toMatch(/^[0-9A-Za-z]+$/);
    }
    expect(shortLinkCode(key, "1000000")).toHaveLength(13);
    expect(shortLinkCode(key, 42n)).toBe(shortLinkCode(key, "42"));
    expect(shortLinkUrl("https://t.bank.example", key, "7")).toMatch(/^https:\/\/t\.bank\.example\/t\/7[0-9A-Za-z]{9}$/);
  });

  it("refuses forged, altered and malformed codes", () => {
    const code = shortLinkCode(key, "12345");
    const other = Buffer.from("o".repeat(32));
    expect(parseShortLinkCode(other, code)).toBeNull();
    expect(parseShortLinkCode(key, `${shortLinkCode(key, "12346").slice(0, -9)}${code.slice(-9)}`)).toBeNull();
    const flipped = code.slice(0, -1) + (code.endsWith("0") ? "1" : "0");
    expect(parseShortLinkCode(key, flipped)).toBeNull();
    expect(parseShortLinkCode(key, "short")).toBeNull();
    expect(parseShortLinkCode(key, "abc/../../etc")).toBeNull();
    expect(parseShortLinkCode(key, "x".repeat(40))).toBeNull();
  });

  it("builds the dispatcher's links from the environment", () => {
    const env = parseChannelEnv({ TRACKING_LINK_SECRET: "t".repeat(32), TRACKING_BASE_URL: "https://t.bank.example/" });
    const link = shortLinkFor(env)("123");
    expect(link).toBe(`https://t.bank.example/t/${shortLinkCode(Buffer.from("t".repeat(32)), "123")}`);
    expect(() => shortLinkFor(parseChannelEnv({}))).toThrow(/TRACKING_LINK_SECRET/);
  });
});
