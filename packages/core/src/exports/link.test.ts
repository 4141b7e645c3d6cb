import { describe, expect, it } from "vitest";
import { checkDownloadLink, downloadUrl } from "./link";

const SECRET = "k".repeat(32);
const params = (url: string) => new URL(url, "http://x").searchParams;

describe("download links", () => {
  const expires = new Date("2026-12-01T00:00:00Z");
  const url = downloadUrl(SECRET, "exp1", expires);

  it("accepts its own link until it expires", () => {
    const p = params(url);
    expect(url.startsWith("/api/exports/exp1?")).toBe(true);
    expect(checkDownloadLink(SECRET, "exp1", p.get("exp"), p.get("sig"), new Date("2026-11-30T23:59:59Z"))).toBe("ok");
    expect(checkDownloadLink(SECRET, "exp1", p.get("exp"), p.get("sig"), expires)).toBe("expired");
  });

  it("refuses a stretched expiry, another export's id, another secret and missing parts", () => {
    const p = params(url);
    const now = new Date("2026-11-30T00:00:00Z");
    expect(checkDownloadLink(SECRET, "exp1", String(expires.getTime() + 86_400_000), p.get("sig"), now)).toBe("bad-signature");
    expect(checkDownloadLink(SECRET, "exp2", p.get("exp"), p.get("sig"), now)).toBe("bad-signature");
    expect(checkDownloadLink("z".repeat(32), "exp1", p.get("exp"), p.get("sig"), now)).toBe("bad-signature");
    expect(checkDownloadLink(SECRET, "exp1", null, p.get("sig"), now)).toBe("bad-signature");
    expect(checkDownloadLink(SECRET, "exp1", "abc", p.get("sig"), now)).toBe("bad-signature");
  });
});
