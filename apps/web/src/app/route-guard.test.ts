/**
 * The HTTP routes' guard walk (the tRPC procedures have their own, packages/api/test): every
 * `route.ts` under the app declares who may call it and which org subtree it sees, as
 * `export const access = { permission, scope } as const`, and the handler enforces it through
 * the shared HTTP helpers (API key / session, see packages/api/src/http). A route without a
 * declaration, or with a permission nobody can hold, fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "@mkt/core/auth/permissions";

const appDir = path.dirname(fileURLToPath(import.meta.url));

/** Routes whose guard lives elsewhere: better-auth's own endpoints, and tRPC (walked procedure by procedure). */
const DELEGATED = new Set(["api/auth/[...all]/route.ts", "api/trpc/[trpc]/route.ts"]);

/**
 * Besides a permission: `public` (no personal data: health, tracking redirects) and `signature`
 * (a provider's callback, authenticated by its HMAC signature instead of a user or key).
 */
const OTHER_ACCESS = ["public", "signature"];
const SCOPES = ["org", "self", "none"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [path.relative(appDir, full)] : [];
  });
}

const ACCESS = /export const access = \{\s*permission:\s*"([^"]+)",\s*scope:\s*"([^"]+)"\s*\}\s*as const;/;

describe("HTTP route guards", () => {
  const routes = routeFiles(appDir).filter((r) => !DELEGATED.has(r));

  it("finds the routes", () => {
    expect(routes).toContain("api/health/route.ts");
    expect(routes).toContain("api/v1/events/route.ts");
  });

  it.each(routes)("%s declares its permission and org scope", (route) => {
    const m = ACCESS.exec(readFileSync(path.join(appDir, route), "utf8"));
    expect(m, `${route}: add \`export const access = { permission: "…", scope: "…" } as const;\``).not.toBeNull();
    const [, permission, scope] = m!;
    expect([...PERMISSIONS, ...OTHER_ACCESS]).toContain(permission);
    expect(SCOPES).toContain(scope);
    if (permission === "public") expect(scope).toBe("none");
  });
});
