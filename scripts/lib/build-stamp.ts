/**
 * A fingerprint of everything the console build depends on (file paths and contents), so the
 * start command rebuilds only when something changed since the last build. Contents rather than
 * mtimes: `pnpm install` regenerates the Prisma client (same bytes, new mtimes) on every start.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// next-env.d.ts is rewritten by the build itself.
const SKIP = new Set(["node_modules", ".next", ".turbo", "test", "dist", "next-env.d.ts"]);

function walk(dir: string, hash: ReturnType<typeof createHash>): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, hash);
    else if (entry.isFile()) {
      hash.update(`${full}\0`);
      hash.update(readFileSync(full));
    }
  }
}

export function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  walk(path.join(root, "apps/web"), hash);
  walk(path.join(root, "packages"), hash);
  for (const f of ["pnpm-lock.yaml", "tsconfig.base.json"]) hash.update(readFileSync(path.join(root, f)));
  return hash.digest("hex");
}

const stampFile = (root: string) => path.join(root, "apps/web/.next/.start-build-stamp");

export function buildIsCurrent(root: string, fingerprint: string): boolean {
  const file = stampFile(root);
  return existsSync(file) && existsSync(path.join(root, "apps/web/.next/BUILD_ID")) && readFileSync(file, "utf8") === fingerprint;
}

export function recordBuild(root: string, fingerprint: string): void {
  writeFileSync(stampFile(root), fingerprint);
}
