/**
 * Event-triggered campaigns: "tag changed" signals (Redis stream `<prefix>:tags:changes`, read by
 * the worker's consumer group) become waves of the campaign's open run. One wave per consumed
 * batch and campaign, keyed by the batch's first stream id (`t<ms>-<seq>`): a batch redelivered
 * after a crash maps to the same wave (ON CONFLICT DO NOTHING). The caller drops events already
 * applied to a campaign (dedupe by event id and campaign). The wave is due `triggerDelaySeconds`
 * after the event; contacts not sent within `triggerWindowSeconds` of it are TRIGGER_EXPIRED.
 */
import type { Db } from "@mkt/db";
import { RoaringBitmap32, bitmapToBytes } from "../../segments/bitmap";
import { parseFlow } from "../flow";
import { campaignTriggerSchema, triggerMatches, type CampaignTrigger } from "../trigger";
import type { WaveRef } from "./types";

export interface TriggerSignal {
  streamId: string;
  eventId: string;
  tag: string;
  customerId: number;
  value: number;
}

interface TriggerCampaign {
  campaignId: string;
  runId: string;
  entryId: string;
  trigger: CampaignTrigger;
  orgPath: string;
  delaySeconds: number;
}

let cache: { at: number; campaigns: TriggerCampaign[] } | null = null;

/** Running event-triggered campaigns with their open run, cached for a second or two. */
export async function triggerCampaigns(db: Db, maxAgeMs = 2_000): Promise<TriggerCampaign[]> {
  if (cache && Date.now() - cache.at < maxAgeMs) return cache.campaigns;
  const rows = await db.campaignRun.findMany({
    where: { launchKey: "trigger", status: "RUNNING", campaign: { status: "RUNNING", audienceKind: "EVENT_TRIGGER" } },
    select: { id: true, flow: true, campaign: { select: { id: true, trigger: true, triggerDelaySeconds: true, orgUnit: { select: { path: true } } } } },
  });
  const campaigns = rows.flatMap((r) => {
    const trigger = campaignTriggerSchema.safeParse(r.campaign.trigger);
    if (!trigger.success) return [];
    const entry = parseFlow(r.flow).nodes.find((n) => n.type === "entry")!;
    return [{ campaignId: r.campaign.id, runId: r.id, entryId: entry.id, trigger: trigger.data, orgPath: r.campaign.orgUnit.path, delaySeconds: r.campaign.triggerDelaySeconds }];
  });
  cache = { at: Date.now(), campaigns };
  return campaigns;
}

export function clearTriggerCache(): void {
  cache = null;
}

export interface TriggerWave {
  ref: WaveRef;
  dueAt: Date;
  /** (campaignId, eventId) pairs this wave applied, for the caller's dedupe record. */
  applied: { campaignId: string; eventId: string }[];
}

/** Creates the waves for a batch of signals; returns them for processing (due now or later). */
export async function startTriggerWaves(db: Db, signals: TriggerSignal[]): Promise<TriggerWave[]> {
  if (!signals.length) return [];
  const campaigns = await triggerCampaigns(db);
  if (!campaigns.length) return [];
  const ids = [...new Set(signals.map((s) => s.customerId))];
  const paths = new Map(
    (await db.$queryRaw<{ id: number; org_path: string }[]>`SELECT id, org_path FROM customer WHERE id = ANY(${ids}::int[])`).map((r) => [r.id, r.org_path]),
  );
  const waves: TriggerWave[] = [];
  for (const c of campaigns) {
    const hits = signals.filter((s) => triggerMatches(c.trigger, s) && paths.get(s.customerId)?.startsWith(c.orgPath));
    if (!hits.length) continue;
    const first = hits[0]!;
    const wave = `t${first.streamId}`;
    const members = new RoaringBitmap32(hits.map((h) => h.customerId));
    const eventMs = Number(first.streamId.split("-")[0]);
    const dueAt = new Date(eventMs + c.delaySeconds * 1000);
    await db.$executeRaw`INSERT INTO campaign_wave (run_id, wave, node_id, members, count, due_at)
      VALUES (${c.runId}, ${wave}, ${c.entryId}, ${Buffer.from(bitmapToBytes(members))}, ${members.size}, ${c.delaySeconds > 0 ? dueAt : null}::timestamptz)
      ON CONFLICT DO NOTHING`;
    waves.push({ ref: { runId: c.runId, wave, nodeId: c.entryId }, dueAt, applied: hits.map((h) => ({ campaignId: c.campaignId, eventId: h.eventId })) });
  }
  return waves;
}
