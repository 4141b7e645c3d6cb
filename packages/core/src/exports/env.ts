/**
 * Export settings (zod-validated, parsed on first use). Files go to EXPORT_DIR, by default the
 * workspace's ignored `.data/exports` — found from the working directory, so the console (run
 * from apps/web) and the worker (run from the root) agree. Download links are signed with
 * EXPORT_LINK_SECRET, or the console's BETTER_AUTH_SECRET when that is not set.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  EXPORT_DIR: z.string().min(1).optional(),
  EXPORT_LINK_SECRET: z.string().min(32, "EXPORT_LINK_SECRET must be at least 32 characters").optional(),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
});

export interface ExportEnv {
  dir: string;
  linkSecret: string | null;
}

function workspaceRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}

let parsed: ExportEnv | undefined;

export function exportEnv(): ExportEnv {
  if (!parsed) {
    const env = schema.parse(process.env);
    parsed = {
      dir: path.resolve(env.EXPORT_DIR ?? path.join(workspaceRoot(process.cwd()), ".data", "exports")),
      linkSecret: env.EXPORT_LINK_SECRET ?? env.BETTER_AUTH_SECRET ?? null,
    };
  }
  return parsed;
}
