/**
 * The tag center on top of a seeded bank: installs the starter library (82 published tags) and
 * computes one batch run synchronously — the same `executeTagRun` the worker's `tags.batch-run`
 * job calls — so segments have current tag values to build on. Used by `pnpm seed --demo`, the
 * e2e server and any test that needs tag values (`seedTagCenter(t.url, { asOf })`).
 */
import { createDb } from "@mkt/db";
import { DAY_MS } from "@mkt/db/tags/as-of";
import { installTagLibrary } from "./install-library";
import { createTagRun, executeTagRun, type TagRunSummary } from "./run";

export interface SeedTagCenterOptions {
  /** The seed's business date (YYYY-MM-DD, the bank's last day of data); default today. */
  asOf?: string;
  now?: Date;
  onProgress?: (percent: number, phase: string) => void;
}

export interface SeedTagCenterResult {
  tagsCreated: number;
  run: TagRunSummary;
}

/**
 * The run describes the end of the seed's business date (00:00 the next day, bank time), or now
 * when that is still ahead: a run's as-of must not lie in the future, or no later run could
 * become current before it.
 */
export function seedRunAsOf(seedAsOf: string | undefined, now: Date): Date {
  if (!seedAsOf) return now;
  const endOfDay = new Date(Date.parse(`${seedAsOf}T00:00:00+08:00`) + DAY_MS);
  return endOfDay < now ? endOfDay : now;
}

export async function seedTagCenter(databaseUrl: string, opts: SeedTagCenterOptions = {}): Promise<SeedTagCenterResult> {
  const db = createDb(databaseUrl, { max: 3 });
  try {
    const { tagsCreated } = await installTagLibrary(db);
    const run = await createTagRun(db, { trigger: "MANUAL", asOf: seedRunAsOf(opts.asOf, opts.now ?? new Date()) });
    const summary = await executeTagRun({ db, databaseUrl, onProgress: opts.onProgress }, run.id);
    return { tagsCreated, run: summary };
  } finally {
    await db.$disconnect();
  }
}
