/**
 * The recovery sweep, run every few seconds by each worker (apps/worker campaign supervisor).
 * PostgreSQL holds the truth, Redis only the work in flight: when a running run has made no
 * progress for `stallMs` (its pending contacts, waves and finished chunks unchanged) while work is pending, its
 * jobs are assumed lost (Redis restarted empty, a worker was killed holding a job) and everything
 * still to do is enqueued again (`kickRun`; idempotent). Scheduled launches whose delayed job was
 * lost are started, and recurring schedules re-registered.
 */
import type { Db } from "@mkt/db";
import { kickRun, launchCampaign } from "./launch";
import type { DispatchQueue } from "./types";

export class RecoverySweep {
  private readonly seen = new Map<string, { state: string; since: number }>();
  private lastSchedules = 0;

  constructor(
    private readonly db: Db,
    private readonly queue: DispatchQueue,
    private readonly stallMs = 30_000,
  ) {}

  async tick(now = Date.now()): Promise<{ kicked: string[] }> {
    const runs = await this.db.$queryRaw<{ id: string; contacts: number; waves: number; chunks: number }[]>`
      SELECT r.id,
             (SELECT count(*)::int FROM contact c WHERE c.run_id = r.id AND c.status IN ('QUEUED', 'SENDING')) AS contacts,
             (SELECT count(*)::int FROM campaign_wave w WHERE w.run_id = r.id AND w.status <> 'DONE') AS waves,
             (SELECT count(*)::int FROM campaign_chunk k WHERE k.run_id = r.id) AS chunks
      FROM campaign_run r WHERE r.status = 'RUNNING'`;
    const kicked: string[] = [];
    const live = new Set<string>();
    for (const r of runs) {
      live.add(r.id);
      const state = `${r.contacts}:${r.waves}:${r.chunks}`;
      const prev = this.seen.get(r.id);
      if (!prev || prev.state !== state) {
        this.seen.set(r.id, { state, since: now });
        continue;
      }
      if ((r.contacts > 0 || r.waves > 0) && now - prev.since >= this.stallMs) {
        await kickRun(this.db, this.queue, r.id, `k${now}`);
        this.seen.set(r.id, { state, since: now });
        kicked.push(r.id);
      }
    }
    for (const id of this.seen.keys()) if (!live.has(id)) this.seen.delete(id);
    if (now - this.lastSchedules >= 60_000) {
      this.lastSchedules = now;
      await this.schedules();
    }
    return { kicked };
  }

  private async schedules(): Promise<void> {
    const due = await this.db.campaign.findMany({
      where: { status: "RUNNING", OR: [{ scheduleKind: "RECURRING" }, { scheduleKind: "AT", startAt: { lte: new Date() }, runs: { none: {} } }] },
      select: { id: true, scheduleKind: true, cron: true },
    });
    for (const c of due) {
      if (c.scheduleKind === "RECURRING" && c.cron) await this.queue.scheduleLaunch(c.id, { cron: c.cron, tz: "Asia/Shanghai" });
      if (c.scheduleKind === "AT") await launchCampaign(this.db, this.queue, { campaignId: c.id, actor: null, fromSchedule: true });
    }
  }
}
