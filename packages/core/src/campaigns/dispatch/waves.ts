/**
 * Flow progression. A wave (the customers that reached a node together) is processed node by
 * node: entry draws the control group, wait holds the wave (a delayed job), branch and split
 * partition it, send materialises contacts and hands chunks to send jobs, lead creates the RM's
 * leads, exit ends it. Each step is idempotent (child waves and contacts are inserted ON CONFLICT
 * DO NOTHING; status flips are conditional), so a retried or duplicated job changes nothing.
 * Waves due now are processed inline (an event-triggered message reaches its send job in one
 * hop); delayed ones are enqueued.
 */
import { Prisma, type Db } from "@mkt/db";
import { sqlRows } from "@mkt/db/sql-tx";
import { RoaringBitmap32, bitmapFromBytes, bitmapToBytes } from "../../segments/bitmap";
import { waitDelayMs, type FlowNode } from "../flow";
import { inControlGroup, splitOutput } from "../guardrails/control-group";
import { loadRun, type RunContext } from "./context";
import { chunkStarts, chunkTarget, layoutCut } from "./chunks";
import { FINE_LOCK_MAX, isSparse, reasonSql, type GuardrailParams } from "./guardrails-sql";
import { INSERT_BATCH, type ChunkRef, type DispatchDeps, type WaveRef } from "./types";

interface Child {
  nodeId: string;
  wave: string;
  members: RoaringBitmap32;
  dueAt?: Date;
}

export interface WaveOutcome {
  processed: number;
  chunks: number;
}

/** Processes a wave and, inline, the waves it leads to that are due now. */
export async function processWave(deps: DispatchDeps, first: WaveRef): Promise<WaveOutcome> {
  const todo = [first];
  const outcome: WaveOutcome = { processed: 0, chunks: 0 };
  while (todo.length) {
    const r = await processOne(deps, todo.pop()!);
    outcome.processed++;
    outcome.chunks += r.chunks;
    todo.push(...r.next);
  }
  return outcome;
}

async function processOne(deps: DispatchDeps, ref: WaveRef): Promise<{ next: WaveRef[]; chunks: number }> {
  const { db } = deps;
  const none = { next: [], chunks: 0 };
  const run = await loadRun(db, ref.runId);
  if (!run || run.runStatus === "PAUSED") return none;
  const wave = await db.campaignWave.findUnique({ where: { runId_wave_nodeId: ref } });
  if (!wave || wave.status === "DONE") return none;
  if (run.runStatus !== "RUNNING") {
    await db.campaignWave.updateMany({ where: { ...ref, status: { not: "DONE" } }, data: { status: "DONE", doneAt: new Date() } });
    return none;
  }
  const now = Date.now();
  if (wave.dueAt && wave.dueAt.getTime() > now + 20) {
    await deps.queue.enqueueWave(ref, { delayMs: wave.dueAt.getTime() - now, suffix: `d${wave.dueAt.getTime()}` });
    return none;
  }
  const graph = run.graph;
  const node = graph.node(ref.nodeId);
  const members = bitmapFromBytes(wave.members);
  switch (node.type) {
    case "entry": {
      const firstSend = graph.sendNodes()[0];
      let rest = members;
      if (run.controlShareBp > 0 && firstSend) {
        const control = new RoaringBitmap32();
        for (const id of members) if (inControlGroup(run.campaignId, id, run.controlShareBp)) control.add(id);
        if (control.size) {
          await insertControl(db, run, firstSend, ref.wave, control.toUint32Array());
          rest = RoaringBitmap32.andNot(members, control);
        }
      }
      return forward(deps, run, ref, [{ nodeId: graph.next(node.id).id, wave: ref.wave, members: rest }]);
    }
    case "wait":
      return forward(deps, run, ref, [{ nodeId: graph.next(node.id).id, wave: ref.wave, members, dueAt: new Date(now + waitDelayMs(node.wait, new Date(now))) }]);
    case "branch": {
      const yes = RoaringBitmap32.and(members, await branchYes(db, run, node));
      const no = RoaringBitmap32.andNot(members, yes);
      return forward(deps, run, ref, [
        { nodeId: graph.next(node.id, "yes").id, wave: `${ref.wave}/y`, members: yes },
        { nodeId: graph.next(node.id, "no").id, wave: `${ref.wave}/n`, members: no },
      ]);
    }
    case "split": {
      const parts = new Map(node.outputs.map((o) => [o.key, new RoaringBitmap32()]));
      for (const id of members) parts.get(splitOutput(run.campaignId, node.id, id, node.outputs))!.add(id);
      return forward(
        deps,
        run,
        ref,
        node.outputs.map((o) => ({ nodeId: graph.next(node.id, o.key).id, wave: `${ref.wave}/${o.key}`, members: parts.get(o.key)! })),
      );
    }
    case "send": {
      const chunks = await materialize(deps, run, node, ref, members);
      return { next: [], chunks };
    }
    case "lead": {
      await createLeads(db, run, node, ref.wave, members);
      return forward(deps, run, ref, [{ nodeId: graph.next(node.id).id, wave: ref.wave, members }]);
    }
    case "exit":
      await db.campaignWave.updateMany({ where: { ...ref, status: { not: "DONE" } }, data: { status: "DONE", doneAt: new Date() } });
      await maybeCompleteRun(db, run);
      return none;
  }
}

/** Marks a wave done and creates the waves it leads to, in one transaction. */
async function forward(deps: DispatchDeps, run: RunContext, ref: WaveRef, children: Child[]): Promise<{ next: WaveRef[]; chunks: number }> {
  const live = children.filter((c) => c.members.size > 0);
  await deps.db.$transaction(async (tx) => {
    for (const c of live) {
      await tx.$executeRaw`INSERT INTO campaign_wave (run_id, wave, node_id, members, count, due_at)
        VALUES (${ref.runId}, ${c.wave}, ${c.nodeId}, ${Buffer.from(bitmapToBytes(c.members))}, ${c.members.size}, ${c.dueAt ?? null}::timestamptz)
        ON CONFLICT DO NOTHING`;
    }
    await tx.campaignWave.updateMany({ where: { ...ref, status: { not: "DONE" } }, data: { status: "DONE", doneAt: new Date() } });
  });
  const next: WaveRef[] = [];
  for (const c of live) {
    const child = { runId: ref.runId, wave: c.wave, nodeId: c.nodeId };
    if (c.dueAt && c.dueAt.getTime() > Date.now()) await deps.queue.enqueueWave(child, { delayMs: c.dueAt.getTime() - Date.now(), suffix: `d${c.dueAt.getTime()}` });
    else next.push(child);
  }
  if (!live.length) await maybeCompleteRun(deps.db, run);
  return { next, chunks: 0 };
}

/** The control group's contact rows, written at once (SUPPRESSED/CONTROL_GROUP, chunk -1 of the first send step). */
async function insertControl(db: Db, run: RunContext, node: Extract<FlowNode, { type: "send" }>, wave: string, ids: Uint32Array): Promise<void> {
  for (let start = 0; start < ids.length; start += INSERT_BATCH) {
    const part = Array.from(ids.subarray(start, start + INSERT_BATCH));
    await db.$executeRaw`
      INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, template_id, wave, chunk, status, suppression_reason, control)
      SELECT ${run.runId}, ${run.campaignId}, t.customer_id, ${node.id}, ${node.channel}::"Channel", ${node.templateId}, ${wave}, -1,
             'SUPPRESSED', 'CONTROL_GROUP', true
      FROM unnest(${part}::int[]) AS t(customer_id)
      ON CONFLICT (run_id, customer_id, step_id, channel) DO NOTHING`;
  }
}

/**
 * A send step: no contact rows yet. The wave's contact ids are reserved as one block and the
 * recipients cut into chunks (chunks.ts); each chunk job evaluates, sends and writes its contacts
 * once, with their outcome (send-chunk.ts). A customer who already has a contact for this step in
 * another wave of the run is skipped there as DUPLICATE.
 */
async function materialize(deps: DispatchDeps, run: RunContext, node: Extract<FlowNode, { type: "send" }>, ref: WaveRef, members: RoaringBitmap32): Promise<number> {
  const { db } = deps;
  const ids = members.toUint32Array();
  // A sparse wave (event-triggered, a thin segment) goes in chunks small enough for per-customer
  // cap locks, so concurrent waves over random customers do not queue on shared lock blocks.
  const chunkSize = isSparse(ids) ? Math.min(FINE_LOCK_MAX, chunkTarget(deps.rateLimiter, node.channel)) : chunkTarget(deps.rateLimiter, node.channel);
  const cut = layoutCut(chunkSize);
  const starts = chunkStarts(ids, chunkSize, cut.max, cut.bits);
  await db.$transaction(async (tx) => {
    const [wave] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text FROM campaign_wave WHERE run_id = ${ref.runId} AND wave = ${ref.wave} AND node_id = ${ref.nodeId} FOR UPDATE`;
    if (wave?.status !== "PENDING") return;
    // One reserver at a time, so the block [base, base + size) is ours alone.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ID_BLOCK_LOCK}, 0)`;
    await tx.$executeRaw`
      UPDATE campaign_wave SET status = 'PROCESSING', chunk_size = ${chunkSize}, chunks = ${starts.length}, chunk_max = ${cut.max}, block_bits = ${cut.bits},
        id_base = (SELECT setval('contact_block_id_seq', nextval('contact_block_id_seq') + ${members.size - 1}) - ${members.size - 1})
      WHERE run_id = ${ref.runId} AND wave = ${ref.wave} AND node_id = ${ref.nodeId}`;
  });
  const [wave] = await db.$queryRaw<{ chunks: number | null }[]>`SELECT chunks FROM campaign_wave WHERE run_id = ${ref.runId} AND wave = ${ref.wave} AND node_id = ${ref.nodeId}`;
  const chunks = wave?.chunks ?? 0;
  const refs: ChunkRef[] = Array.from({ length: chunks }, (_, chunk) => ({ runId: ref.runId, stepId: node.id, wave: ref.wave, chunk }));
  await deps.queue.enqueueChunks(refs);
  if (!chunks) await maybeFinishSendWave(deps, { runId: ref.runId, stepId: node.id, wave: ref.wave, chunk: 0 });
  return chunks;
}

const ID_BLOCK_LOCK = 90_003;

/** Customers whose earlier contact reached the outcome, or whose tag satisfies the condition. */
async function branchYes(db: Db, run: RunContext, node: Extract<FlowNode, { type: "branch" }>): Promise<RoaringBitmap32> {
  const c = node.condition;
  let rows: { customer_id: number }[];
  if (c.kind === "outcome") {
    const col = { DELIVERED: "delivered_at", CLICKED: "clicked_at", RESPONDED: "coalesce(responded_at, clicked_at)", CONVERTED: "converted_at" }[c.outcome];
    rows = await db.$queryRaw`SELECT customer_id FROM contact WHERE run_id = ${run.runId} AND step_id = ${c.stepId} AND ${Prisma.raw(col)} IS NOT NULL`;
  } else {
    const op = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" }[c.op];
    const value =
      typeof c.value === "number" ? Prisma.sql`value_num ${Prisma.raw(op)} ${c.value}` : Prisma.sql`value_label ${Prisma.raw(op)} ${String(c.value)}`;
    rows = await db.$queryRaw`SELECT customer_id FROM customer_tag_value WHERE tag_code = ${c.tag} AND ${value}`;
  }
  return new RoaringBitmap32(rows.map((r) => r.customer_id));
}

/**
 * Lead handover: an RM_TASK contact and a `Lead` for the customer's assigned RM, once per customer
 * and step (the contact's unique key dedupes). Leads pass the same guardrails as messages, in one
 * set-based statement: marketing consent for calls (the RM phones the customer), DND and complaint
 * lists for all channels or RM tasks, suitability for the promoted product; a customer who fails
 * one gets a SUPPRESSED contact with the reason and no lead. (No caps or quiet hours: a lead is a
 * task for the RM, who chooses when to call.)
 */
async function createLeads(db: Db, run: RunContext, node: Extract<FlowNode, { type: "lead" }>, wave: string, members: RoaringBitmap32): Promise<void> {
  const params: GuardrailParams = {
    channel: "RM_TASK",
    consentChannel: "CALL",
    productRisk: run.productRisk,
    policy: { dailyCap: null, weeklyCap: null, quiet: { start: "00:00", end: "00:00" } },
    quietHoursPolicy: "DROP",
    at: new Date(),
  };
  const ids = members.toUint32Array();
  for (let start = 0; start < ids.length; start += INSERT_BATCH) {
    const part = Array.from(ids.subarray(start, start + INSERT_BATCH));
    await db.$executeRaw`
      INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, template_id, wave, chunk, status, suppression_reason, sent_at)
      SELECT ${run.runId}, ${run.campaignId}, e.id, ${node.id}, 'RM_TASK', NULL, ${wave}, 0,
             (CASE WHEN e.reason IS NULL THEN 'SENT' ELSE 'SUPPRESSED' END)::"ContactStatus", e.reason::"SuppressionReason",
             CASE WHEN e.reason IS NULL THEN now() END
      FROM (SELECT cu.id, ${reasonSql(params)} AS reason FROM customer cu WHERE cu.id = ANY(${part}::int[])) e
      ON CONFLICT (run_id, customer_id, step_id, channel) DO NOTHING`;
  }
  await db.$executeRaw`
    INSERT INTO lead (id, customer_id, rm_id, org_unit_id, campaign_id, contact_id, priority, due_at, status, updated_at)
    SELECT 'ld' || c.id, c.customer_id, cu.rm_id, cu.org_unit_id, c.campaign_id, c.id, ${node.priority}::"LeadPriority",
           now() + ${node.dueInDays} * interval '1 day', 'OPEN', now()
    FROM contact c JOIN customer cu ON cu.id = c.customer_id
    WHERE c.run_id = ${run.runId} AND c.step_id = ${node.id} AND c.wave = ${wave} AND c.status = 'SENT'
    ON CONFLICT (contact_id) DO NOTHING`;
}

/**
 * After a chunk: when every chunk of the wave has had its first pass and no contact of the wave is
 * left to send, the wave moves on (exactly once). One query in the common case (not finished).
 */
export async function maybeFinishSendWave(deps: DispatchDeps, ref: ChunkRef): Promise<boolean> {
  const { db } = deps;
  const [state] = await sqlRows<{ status: string; pending: boolean; missing: number }>(
    db,
    Prisma.sql`
    SELECT w.status::text AS status,
      EXISTS (SELECT 1 FROM contact c WHERE c.run_id = w.run_id AND c.step_id = w.node_id AND c.wave = w.wave AND c.status IN ('QUEUED', 'SENDING')) AS pending,
      coalesce(w.chunks, 0) - (SELECT count(*)::int FROM campaign_chunk k WHERE k.run_id = w.run_id AND k.step_id = w.node_id AND k.wave = w.wave) AS missing
    FROM campaign_wave w WHERE w.run_id = ${ref.runId} AND w.wave = ${ref.wave} AND w.node_id = ${ref.stepId}`,
  );
  if (!state || state.status !== "PROCESSING" || state.pending || state.missing > 0) return false;
  const run = await loadRun(db, ref.runId);
  if (!run) return false;
  const next = run.graph.next(ref.stepId);
  const created = await db.$transaction(async (tx) => {
    const flipped = await tx.campaignWave.updateMany({ where: { runId: ref.runId, wave: ref.wave, nodeId: ref.stepId, status: "PROCESSING" }, data: { status: "DONE", doneAt: new Date() } });
    if (!flipped.count) return false;
    await tx.$executeRaw`INSERT INTO campaign_wave (run_id, wave, node_id, members, count)
      SELECT run_id, wave, ${next.id}, members, count FROM campaign_wave WHERE run_id = ${ref.runId} AND wave = ${ref.wave} AND node_id = ${ref.stepId}
      ON CONFLICT DO NOTHING`;
    return true;
  });
  if (created && run.runStatus === "RUNNING") await deps.queue.enqueueWave({ runId: ref.runId, wave: ref.wave, nodeId: next.id });
  return created;
}

/** A batch run is complete when every wave is done (event-triggered runs stay open). */
export async function maybeCompleteRun(db: Db, run: RunContext): Promise<void> {
  if (run.launchKey === "trigger") return;
  await db.$executeRaw`
    WITH done AS (
      UPDATE campaign_run SET status = 'COMPLETED', finished_at = now()
      WHERE id = ${run.runId} AND status = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM campaign_wave WHERE run_id = ${run.runId} AND status <> 'DONE')
      RETURNING campaign_id
    )
    UPDATE campaign SET status = 'COMPLETED' WHERE id IN (SELECT campaign_id FROM done) AND status = 'RUNNING' AND schedule_kind IN ('NOW', 'AT')`;
}
