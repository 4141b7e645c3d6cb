/**
 * What a job needs to know about its run: read fresh on every job (status: pause and cancel take
 * effect at the next chunk), with the parsed flow cached per run (a run's flow never changes).
 */
import { Prisma, type Db } from "@mkt/db";
import { sqlRows } from "@mkt/db/sql-tx";
import { FlowGraph, parseFlow } from "../flow";
import type { Channel } from "../channels/provider";
import { DEFAULT_QUIET_WINDOW, type QuietWindow } from "../guardrails/quiet-hours";
import type { FrequencyCaps } from "../guardrails/frequency";

export interface RunContext {
  runId: string;
  runStatus: "RUNNING" | "PAUSED" | "COMPLETED" | "CANCELLED" | "FAILED";
  launchKey: string;
  campaignId: string;
  campaignStatus: string;
  orgUnitId: string;
  orgPath: string;
  controlShareBp: number;
  quietHoursPolicy: "DEFER" | "DROP";
  triggerWindowSeconds: number | null;
  /** The riskiest promoted product (1..5), or null when none is promoted. */
  productRisk: number | null;
  /** The campaign's budget (null: none) and price per message by channel. */
  budget: number | null;
  prices: Partial<Record<Channel, number>>;
  graph: FlowGraph;
}

/**
 * A campaign's contacts, as a condition on `contact`: through its runs, so the unique key's
 * (run_id, …) index finds them (contacts carry no campaign index: each would cost every written
 * contact one more index entry).
 */
export function ofCampaign(campaignId: string, alias = ""): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias ? `${alias}.` : "")}run_id IN (SELECT id FROM campaign_run WHERE campaign_id = ${campaignId})`;
}

const graphs = new Map<string, FlowGraph>();

export async function loadRun(db: Db, runId: string): Promise<RunContext | null> {
  // (On the plain pool: read at every chunk, and Prisma's per-query work was a tenth of it.)
  const rows = await sqlRows<
    {
      status: RunContext["runStatus"];
      launch_key: string;
      flow: unknown;
      campaign_id: string;
      campaign_status: string;
      org_unit_id: string;
      org_path: string;
      control_share_bp: number;
      quiet_hours_policy: "DEFER" | "DROP";
      trigger_window_seconds: number | null;
      product_risk: number | null;
      budget: string | null;
      prices: unknown;
    }
  >(
    db,
    Prisma.sql`
    SELECT r.status::text AS status, r.launch_key, CASE WHEN ${graphs.has(runId)} THEN NULL ELSE r.flow END AS flow,
           c.id AS campaign_id, c.status::text AS campaign_status, c.org_unit_id, o.path AS org_path,
           c.control_share_bp, c.quiet_hours_policy::text AS quiet_hours_policy, c.trigger_window_seconds, c.budget::text AS budget, c.cost_per_message AS prices,
           (SELECT max(p.risk_level) FROM campaign_product cp JOIN product p ON p.id = cp.product_id WHERE cp.campaign_id = c.id) AS product_risk
    FROM campaign_run r JOIN campaign c ON c.id = r.campaign_id JOIN org_unit o ON o.id = c.org_unit_id
    WHERE r.id = ${runId}`,
  );
  const row = rows[0];
  if (!row) return null;
  let graph = graphs.get(runId);
  if (!graph) {
    graph = new FlowGraph(parseFlow(row.flow));
    if (graphs.size > 1_000) graphs.clear();
    graphs.set(runId, graph);
  }
  return {
    runId,
    runStatus: row.status,
    launchKey: row.launch_key,
    campaignId: row.campaign_id,
    campaignStatus: row.campaign_status,
    orgUnitId: row.org_unit_id,
    orgPath: row.org_path,
    controlShareBp: row.control_share_bp,
    quietHoursPolicy: row.quiet_hours_policy,
    triggerWindowSeconds: row.trigger_window_seconds,
    productRisk: row.product_risk === null ? null : Number(row.product_risk),
    budget: row.budget === null ? null : Number(row.budget),
    prices: row.prices && typeof row.prices === "object" ? (row.prices as Partial<Record<Channel, number>>) : {},
    graph,
  };
}

const running = new Map<string, { at: number; run: RunContext }>();

/**
 * `loadRun` for a send chunk: a context read less than `maxAgeMs` ago is reused while it said
 * RUNNING (a chunk every ~10 ms per process would otherwise read the same row each time). Safe
 * because the status that matters is read again under the chunk's locks, inside its transaction
 * (a pause or cancel stops the chunk there); `cached` tells the caller that `runStatus` may be stale.
 */
export async function loadRunningRun(db: Db, runId: string, maxAgeMs = 1_000): Promise<{ run: RunContext | null; cached: boolean }> {
  const hit = running.get(runId);
  if (hit && Date.now() - hit.at < maxAgeMs) return { run: hit.run, cached: true };
  const run = await loadRun(db, runId);
  if (run?.runStatus === "RUNNING") {
    if (running.size > 1_000) running.clear();
    running.set(runId, { at: Date.now(), run });
  } else running.delete(runId);
  return { run, cached: false };
}

export interface ChannelPolicy extends FrequencyCaps {
  quiet: QuietWindow;
}

/** Caps and quiet hours when the admin has set none for a channel. */
export const DEFAULT_POLICY: Record<Channel, ChannelPolicy> = {
  SMS: { dailyCap: 2, weeklyCap: 5, quiet: DEFAULT_QUIET_WINDOW },
  CALL: { dailyCap: 1, weeklyCap: 2, quiet: DEFAULT_QUIET_WINDOW },
  APP_PUSH: { dailyCap: 3, weeklyCap: 10, quiet: DEFAULT_QUIET_WINDOW },
  WECHAT: { dailyCap: 2, weeklyCap: 6, quiet: DEFAULT_QUIET_WINDOW },
  EMAIL: { dailyCap: 2, weeklyCap: 7, quiet: DEFAULT_QUIET_WINDOW },
  RM_TASK: { dailyCap: null, weeklyCap: null, quiet: { start: "00:00", end: "00:00" } },
};

const policyCache = new Map<string, { at: number; policy: ChannelPolicy }>();

/** The contact policy of a channel (`ContactPolicy`, else the default), cached for a few seconds. */
export async function loadPolicy(db: Db, channel: Channel, maxAgeMs = 2_000): Promise<ChannelPolicy> {
  const hit = policyCache.get(channel);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.policy;
  const row = await db.contactPolicy.findUnique({ where: { channel } });
  const policy = row ? { dailyCap: row.dailyCap, weeklyCap: row.weeklyCap, quiet: { start: row.quietStart, end: row.quietEnd } } : DEFAULT_POLICY[channel];
  policyCache.set(channel, { at: Date.now(), policy });
  return policy;
}

export function clearPolicyCache(): void {
  policyCache.clear();
}
