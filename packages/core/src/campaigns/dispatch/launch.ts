/**
 * Launch and control of a campaign — the use cases the console calls.
 *
 * `launchCampaign` creates at most one run per (campaign, launch key): the INSERT … ON CONFLICT
 * DO NOTHING on that unique key decides, so 50 concurrent launches create exactly one run and the
 * other 49 get the same run back. NOW runs start at once; AT and RECURRING are scheduled (the
 * scheduled job calls this again with the occurrence as launch key); an event-triggered campaign
 * gets one open run that its events feed.
 *
 * Pause, resume and cancel flip the campaign and its open runs in one transaction; every chunk
 * job reads the run's status before it claims, so they take effect within a chunk.
 */
import { writeAudit, type Db } from "@mkt/db";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../domain-error";
import { bitmapToBytes } from "../../segments/bitmap";
import { parseFlow } from "../flow";
import { loadAudience } from "./audience";
import type { DispatchQueue } from "./types";

export interface LaunchResult {
  runId: string | null;
  /** false when the run already existed (a repeated or concurrent launch). */
  created: boolean;
  /** AT / RECURRING: when it will start instead. */
  scheduled?: { at: Date } | { cron: string };
  audience: number;
}

export interface LaunchInput {
  campaignId: string;
  actor: Actor | null;
  /** The occurrence (RECURRING runs); defaults to "once" ("trigger" for event-triggered campaigns). */
  launchKey?: string;
  /** Start a scheduled campaign now (the scheduler's own call). */
  fromSchedule?: boolean;
  ip?: string | null;
}

export async function launchCampaign(db: Db, queue: DispatchQueue, input: LaunchInput): Promise<LaunchResult> {
  const c = await db.campaign.findUnique({ where: { id: input.campaignId } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  const launchable = c.status === "APPROVED" || (c.status === "RUNNING" && (c.scheduleKind === "RECURRING" || input.fromSchedule));
  const key = input.launchKey ?? (c.audienceKind === "EVENT_TRIGGER" ? "trigger" : "once");
  if (!launchable) {
    const existing = await db.campaignRun.findUnique({ where: { campaignId_launchKey: { campaignId: c.id, launchKey: key } } });
    if (existing && c.status === "RUNNING") return { runId: existing.id, created: false, audience: existing.audienceCount };
    throw new DomainError("PRECONDITION_FAILED", `a ${c.status} campaign cannot be launched (it must be approved first)`);
  }
  const flow = parseFlow(c.flow);

  if (!input.fromSchedule && (c.scheduleKind === "AT" || c.scheduleKind === "RECURRING")) {
    const when: { at: Date } | { cron: string; tz: string } = c.scheduleKind === "AT" ? { at: c.startAt ?? new Date() } : { cron: c.cron ?? "", tz: "Asia/Shanghai" };
    if (c.scheduleKind === "RECURRING" && !c.cron) throw new DomainError("BAD_REQUEST", "a recurring campaign needs a cron schedule");
    await queue.scheduleLaunch(c.id, when);
    await db.$transaction(async (tx) => {
      await tx.campaign.updateMany({ where: { id: c.id, status: "APPROVED" }, data: { status: "RUNNING" } });
      await writeAudit(tx, { action: "LAUNCH", actor: input.actor, targetType: "campaign", targetId: c.id, ip: input.ip ?? null, details: { code: c.code, scheduled: c.scheduleKind } });
    });
    return { runId: null, created: false, scheduled: "at" in when ? { at: when.at } : { cron: when.cron }, audience: 0 };
  }

  const audience = c.audienceKind === "SEGMENT" ? await loadAudience(db, c) : null;
  const entry = flow.nodes.find((n) => n.type === "entry")!;
  const result = await db.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO campaign_run (id, campaign_id, launch_key, status, flow, flow_version, snapshot_id, audience_count, launched_by_id)
      VALUES (${`run${c.id.slice(-8)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`}, ${c.id}, ${key}, 'RUNNING',
              ${JSON.stringify(flow)}::jsonb, ${c.flowVersion}, ${audience?.snapshotId ?? null}, ${audience?.members.size ?? 0}, ${input.actor?.id ?? null})
      ON CONFLICT (campaign_id, launch_key) DO NOTHING
      RETURNING id`;
    const runId = inserted[0]?.id;
    if (!runId) return null;
    if (audience) {
      await tx.campaignWave.create({ data: { runId, wave: "main", nodeId: entry.id, members: Buffer.from(bitmapToBytes(audience.members)), count: audience.members.size } });
    }
    await tx.campaign.updateMany({ where: { id: c.id, status: { in: ["APPROVED", "RUNNING"] } }, data: { status: "RUNNING" } });
    await writeAudit(tx, { action: "LAUNCH", actor: input.actor, targetType: "campaign", targetId: c.id, ip: input.ip ?? null, details: { code: c.code, runId, launchKey: key, audience: audience?.members.size ?? 0 } });
    return runId;
  }, { maxWait: 30_000, timeout: 60_000 });
  if (!result) {
    const existing = await db.campaignRun.findUniqueOrThrow({ where: { campaignId_launchKey: { campaignId: c.id, launchKey: key } } });
    return { runId: existing.id, created: false, audience: existing.audienceCount };
  }
  if (audience) await queue.enqueueWave({ runId: result, wave: "main", nodeId: entry.id });
  return { runId: result, created: true, audience: audience?.members.size ?? 0 };
}

type Control = "pause" | "resume" | "cancel";

const TRANSITIONS: Record<Control, { from: string[]; to: "PAUSED" | "RUNNING" | "CANCELLED"; runFrom: ("RUNNING" | "PAUSED")[] }> = {
  pause: { from: ["RUNNING"], to: "PAUSED", runFrom: ["RUNNING"] },
  resume: { from: ["PAUSED"], to: "RUNNING", runFrom: ["PAUSED"] },
  cancel: { from: ["DRAFT", "PENDING_APPROVAL", "APPROVED", "RUNNING", "PAUSED"], to: "CANCELLED", runFrom: ["RUNNING", "PAUSED"] },
};

async function control(db: Db, queue: DispatchQueue, campaignId: string, actor: Actor | null, what: Control, reason?: string): Promise<{ status: string; runs: number }> {
  const t = TRANSITIONS[what];
  const c = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true, code: true, status: true } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  if (!t.from.includes(c.status)) throw new DomainError("PRECONDITION_FAILED", `a ${c.status} campaign cannot be ${what === "cancel" ? "cancelled" : what + "d"}`);
  const runs = await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id: c.id, status: c.status }, data: { status: t.to } });
    if (count !== 1) throw new DomainError("CONFLICT", "the campaign changed meanwhile; reload and try again");
    const r = await tx.campaignRun.updateMany({
      where: { campaignId: c.id, status: { in: t.runFrom } },
      data: { status: t.to, ...(what === "cancel" ? { finishedAt: new Date() } : {}) },
    });
    await writeAudit(tx, { action: "LAUNCH", actor, targetType: "campaign", targetId: c.id, ...(reason ? { reason } : {}), details: { code: c.code, control: what, from: c.status, to: t.to } });
    return r.count;
  });
  if (what === "cancel") await queue.unscheduleLaunch(c.id).catch(() => undefined);
  if (what === "resume") await kickCampaign(db, queue, c.id, `r${Date.now()}`);
  return { status: t.to, runs };
}

export const pauseCampaign = (db: Db, queue: DispatchQueue, campaignId: string, actor: Actor | null) => control(db, queue, campaignId, actor, "pause");
export const resumeCampaign = (db: Db, queue: DispatchQueue, campaignId: string, actor: Actor | null) => control(db, queue, campaignId, actor, "resume");
export const cancelCampaign = (db: Db, queue: DispatchQueue, campaignId: string, actor: Actor | null, reason?: string) =>
  control(db, queue, campaignId, actor, "cancel", reason);

/**
 * Re-enqueues everything still to do for a campaign's running runs: waves not done, chunks with
 * contacts to send. Used by resume and by the recovery sweep (Redis lost its jobs, a worker died);
 * `suffix` makes new job ids, and processing is idempotent, so an extra job is harmless.
 */
export async function kickCampaign(db: Db, queue: DispatchQueue, campaignId: string, suffix: string): Promise<{ waves: number; chunks: number }> {
  const runs = await db.campaignRun.findMany({ where: { campaignId, status: "RUNNING" }, select: { id: true } });
  let waves = 0;
  let chunks = 0;
  for (const run of runs) {
    const r = await kickRun(db, queue, run.id, suffix);
    waves += r.waves;
    chunks += r.chunks;
  }
  return { waves, chunks };
}

export async function kickRun(db: Db, queue: DispatchQueue, runId: string, suffix: string): Promise<{ waves: number; chunks: number }> {
  const waves = await db.campaignWave.findMany({ where: { runId, status: { not: "DONE" } }, select: { wave: true, nodeId: true, status: true, dueAt: true } });
  for (const w of waves) {
    if (w.status === "PENDING") {
      const delayMs = w.dueAt ? Math.max(0, w.dueAt.getTime() - Date.now()) : 0;
      await queue.enqueueWave({ runId, wave: w.wave, nodeId: w.nodeId }, { delayMs, suffix });
    }
  }
  // Chunks with contacts left to send, and chunks of send waves whose first pass has not committed.
  const chunks = await db.$queryRaw<{ step_id: string; wave: string; chunk: number }[]>`
    SELECT DISTINCT step_id, wave, chunk FROM contact WHERE run_id = ${runId} AND status IN ('QUEUED', 'SENDING')
    UNION
    SELECT w.node_id, w.wave, g.chunk FROM campaign_wave w CROSS JOIN LATERAL generate_series(0, w.chunks - 1) AS g(chunk)
    WHERE w.run_id = ${runId} AND w.status = 'PROCESSING' AND w.chunks IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM campaign_chunk k WHERE k.run_id = w.run_id AND k.step_id = w.node_id AND k.wave = w.wave AND k.chunk = g.chunk)`;
  // A send wave whose contacts are all settled but that did not move on (a crash in between):
  // an empty chunk job finishes it.
  const settled = waves.filter((w) => w.status === "PROCESSING" && !chunks.some((c) => c.step_id === w.nodeId && c.wave === w.wave));
  const refs = [...chunks.map((c) => ({ runId, stepId: c.step_id, wave: c.wave, chunk: c.chunk })), ...settled.map((w) => ({ runId, stepId: w.nodeId, wave: w.wave, chunk: 0 }))];
  await queue.enqueueChunks(refs, { suffix });
  return { waves: waves.filter((w) => w.status === "PENDING").length, chunks: chunks.length };
}
