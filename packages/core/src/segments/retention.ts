/**
 * Snapshot retention (`Setting` row "segments.snapshotRetention", JSON `{ dailyDays,
 * monthlyMonths }`, defaults below when absent or invalid): snapshots accumulate one per
 * segment per tag run, each holding the member bitmap, so they are pruned by the maintenance
 * job `segments.prune-snapshots` (daily, apps/worker):
 * - every snapshot of the last `dailyDays` days is kept (default 90);
 * - older ones: the last snapshot of each calendar month (bank time, Asia/Shanghai) is kept for
 *   `monthlyMonths` months (default 24), the others are deleted;
 * - never deleted, whatever their age: a segment's latest snapshot, a snapshot a campaign run
 *   pinned as its audience, a snapshot an export was made from (the export row would go with it).
 * Deleting in batches keeps each transaction short; running it twice deletes nothing more.
 */
import { z } from "zod";
import type { Db } from "@mkt/db";

const KEY = "segments.snapshotRetention";

export const snapshotRetentionSchema = z.strictObject({
  /** Days during which every snapshot is kept. */
  dailyDays: z.number().int().min(7).max(3650),
  /** Months (counted back from now) for which the last snapshot of each month is kept. */
  monthlyMonths: z.number().int().min(0).max(240),
});
export type SnapshotRetention = z.infer<typeof snapshotRetentionSchema>;

export const DEFAULT_SNAPSHOT_RETENTION: SnapshotRetention = { dailyDays: 90, monthlyMonths: 24 };

export async function getSnapshotRetention(db: Db): Promise<SnapshotRetention> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = snapshotRetentionSchema.partial().safeParse(row?.value ?? {});
  const merged = { ...DEFAULT_SNAPSHOT_RETENTION, ...(parsed.success ? parsed.data : {}) };
  // The monthly window never ends before the daily one.
  return { ...merged, monthlyMonths: Math.max(merged.monthlyMonths, Math.ceil(merged.dailyDays / 30)) };
}

export interface PruneSummary {
  deleted: number;
  batches: number;
}

const BATCH = 500;

/** Deletes the snapshots the retention no longer keeps (see the file comment). */
export async function pruneSnapshots(db: Db, retention: SnapshotRetention, now = new Date()): Promise<PruneSummary> {
  const dailyCutoff = new Date(now.getTime() - retention.dailyDays * 86_400_000);
  const monthlyCutoff = new Date(now);
  monthlyCutoff.setUTCMonth(monthlyCutoff.getUTCMonth() - retention.monthlyMonths);
  const out: PruneSummary = { deleted: 0, batches: 0 };
  for (;;) {
    const n = await db.$executeRaw`
      WITH ranked AS (
        SELECT s.id, s.taken_at,
               row_number() OVER (PARTITION BY s.segment_id, date_trunc('month', s.taken_at AT TIME ZONE 'Asia/Shanghai')
                                  ORDER BY s.taken_at DESC, s.id DESC) AS nth_in_month
          FROM segment_snapshot s
      ), doomed AS (
        SELECT r.id FROM ranked r
         WHERE r.taken_at < ${dailyCutoff}
           AND (r.nth_in_month > 1 OR r.taken_at < ${monthlyCutoff})
           AND NOT EXISTS (SELECT 1 FROM segment g WHERE g.latest_snapshot_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM campaign_run c WHERE c.snapshot_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM segment_export e WHERE e.snapshot_id = r.id)
         LIMIT ${BATCH}
      )
      DELETE FROM segment_snapshot d USING doomed WHERE d.id = doomed.id`;
    if (n === 0) break;
    out.deleted += n;
    out.batches += 1;
  }
  return out;
}

