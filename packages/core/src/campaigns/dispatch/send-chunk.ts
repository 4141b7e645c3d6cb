/**
 * The send path of one chunk, exactly once.
 *
 * First pass (a chunk of a send wave, chunks.ts) — one transaction, and each contact row written
 * once, with its outcome:
 * 1. Status: a cancelled run writes the chunk's contacts CANCELLED; a paused run leaves the chunk
 *    (resume re-enqueues it).
 * 2. Locks: the cap lock (an advisory lock per channel and block of customer ids, taken in order:
 *    campaigns competing for the same customers' caps, and two waves of one step, take turns; a
 *    small sparse chunk — an event-triggered wave — locks its customers one by one instead) and
 *    the consent rows of the chunk's customers FOR SHARE (an opt-out committed at T was seen, or
 *    waits for our commit: nothing is sent after T).
 * 3. Evaluation: every guardrail in SQL for the whole chunk (guardrails-sql.ts), plus dedupe (a
 *    contact for this step in another wave of the run) and the chunk's marker (a finished earlier
 *    attempt), with the name and address the message needs (read here, never from a job payload).
 * 4. Recovery, on a retried or re-enqueued job only: the provider is asked which of the chunk's
 *    contact ids it already accepted (ids are reserved per wave, so they are the same on every
 *    attempt: the provider's idempotency key) — an attempt that died between the provider's
 *    acceptance and its commit wrote nothing — and those are recorded SENT, not sent again.
 * 5. The provider gets the batch; then one INSERT writes every contact with its outcome — SENT
 *    (with `sent_at`, which the caps count, and the provider's id), SUPPRESSED(reason), QUEUED with
 *    `not_before` (quiet hours, deferred), FAILED (permanent) or QUEUED (transient: the job then
 *    throws and BullMQ retries) — with the chunk's marker and its DUPLICATE count. A plain INSERT,
 *    no ON CONFLICT (a fifth of its cost): under the locks of step 2 nothing else can have written
 *    these rows — another attempt of the chunk left its marker, another wave's contact is a
 *    duplicate here — so a conflict would be a broken invariant, and it fails the chunk loudly
 *    (the retry records what the provider accepted) instead of dropping a sent message's row.
 *
 * Later passes (rows left QUEUED: deferred, transient; and waves of materialised rows) claim the
 * due QUEUED rows FOR UPDATE SKIP LOCKED in slices under the same locks, and one UPDATE writes the
 * outcomes. Deferred contacts get a delayed job at their `not_before`.
 */
import { Prisma, type Db } from "@mkt/db";
import { writeAuditSql } from "@mkt/db/audit";
import { intArrayLiteral, sqlTransaction, type SqlTx } from "@mkt/db/sql-tx";
import type { Channel, ChannelProvider, OutboundMessage, SendResult } from "../channels/provider";
import { loadPolicy, loadRunningRun, ofCampaign, type RunContext } from "./context";
import { addressSql, capLockSql, chunkFactsSql, FINE_LOCK_MAX, idsMatchSql, isSparse, nextAllowedSql, reasonSql, useFineLocks, type GuardrailParams } from "./guardrails-sql";
import { compileTemplate, type TemplateSource } from "../templates";
import { chunkOf, loadLayout } from "./chunks";
import { canReconcile, CHUNK_SIZE, TRIGGER_WAVE, type ChunkRef, type DispatchDeps } from "./types";
import { maybeFinishSendWave } from "./waves";

export interface ChunkOutcome {
  state: "done" | "paused" | "cancelled" | "missing";
  sent: number;
  suppressed: number;
  deferred: number;
  failed: number;
  transient: number;
  /** Found already accepted by the provider (a dead attempt's sends) and marked SENT. */
  recovered: number;
}

/** A transient provider failure: the job is retried with backoff (the contacts are QUEUED again). */
export class TransientSendError extends Error {
  constructor(readonly count: number, readonly sample?: string) {
    super(`${count} messages failed transiently${sample ? ` (${sample})` : ""}; retrying`);
    this.name = "TransientSendError";
  }
}

const empty = (state: ChunkOutcome["state"]): ChunkOutcome => ({ state, sent: 0, suppressed: 0, deferred: 0, failed: 0, transient: 0, recovered: 0 });

const inChunk = (ref: ChunkRef, alias = "") => {
  const a = Prisma.raw(alias ? `${alias}.` : "");
  return Prisma.sql`${a}run_id = ${ref.runId} AND ${a}step_id = ${ref.stepId} AND ${a}wave = ${ref.wave} AND ${a}chunk = ${ref.chunk}`;
};

/**
 * Dedupe: this step's contacts in other waves of the run, by the (run, customer, step, channel)
 * key. A dense chunk reads them by one range scan (step_id kept out of the index condition, or the
 * planner would take the (run, step, wave, chunk) index and read every contact of the step); a
 * sparse one probes the key per customer (as a join over `= ANY(ids)` the planner, misled by a
 * contact table growing under it, re-read the run's contacts once per customer).
 */
function dedupeSql(ref: ChunkRef, channel: Channel, cids: number[]): { join: Prisma.Sql; dup: Prisma.Sql } {
  if (isSparse(cids) || cids.length <= FINE_LOCK_MAX) {
    return {
      join: Prisma.empty,
      dup: Prisma.sql`EXISTS (SELECT 1 FROM contact d WHERE d.run_id = ${ref.runId} AND d.customer_id = m.cid AND d.step_id = ${ref.stepId} AND d.channel = ${channel}::"Channel")`,
    };
  }
  return {
    join: Prisma.sql`LEFT JOIN (SELECT DISTINCT d.customer_id AS dup FROM contact d
                   WHERE d.run_id = ${ref.runId} AND ${idsMatchSql(cids)(Prisma.sql`d.customer_id`)}
                     AND d.channel = ${channel}::"Channel" AND (d.step_id || '') = ${ref.stepId}) d ON d.dup = m.cid`,
    dup: Prisma.sql`d.dup IS NOT NULL`,
  };
}

/**
 * Transaction-local settings, selected first in every chunk transaction: no JIT (compiling a
 * chunk-sized statement costs more than running it), and the server ends a transaction left idle
 * for two minutes (a hung provider call must not hold the cap locks for ever).
 */
const TX_SETTINGS = Prisma.sql`set_config('jit', 'off', true) AS jit, set_config('idle_in_transaction_session_timeout', '120s', true) AS idle`;

/** The chunk's INSERT and locks, whose plans do not depend on the values (sql-tx.ts `prepare`). */
const PREPARED = { prepare: true };

export interface ChunkOptions {
  /** A retried, stalled or re-enqueued job: first ask the provider what it already accepted. */
  retry?: boolean;
  /** The worker is shutting down: stop between slices (the job fails and is retried later). */
  signal?: AbortSignal;
}

export class ChunkInterruptedError extends Error {
  constructor() {
    super("the worker is shutting down; the rest of the chunk is sent by a later attempt");
    this.name = "ChunkInterruptedError";
  }
}

export async function processChunk(deps: DispatchDeps, ref: ChunkRef, claimant: string, opts: ChunkOptions = {}): Promise<ChunkOutcome> {
  const { db } = deps;
  const { run, cached } = await loadRunningRun(db, ref.runId);
  if (!run) return empty("missing");
  const node = run.graph.node(ref.stepId);
  if (node.type !== "send") throw new Error(`node "${ref.stepId}" is not a send step`);
  const channel = node.channel;
  const provider = deps.provider(channel);
  const template = await loadTemplate(db, run.campaignId, node.templateId);
  const out = empty("done");
  // A rate-limited channel goes in slices of about half a second of its rate, tokens taken before
  // the transaction, so locks are never held while waiting for the bucket.
  const slice = deps.rateLimiter?.sliceSize(channel) ?? null;
  let status: string | undefined = run.runStatus;
  const deferred: Date[] = [];
  const layout = await loadLayout(db, ref);
  let legacy = true;
  if (layout) {
    const part = chunkOf(layout, ref.chunk);
    if (!part) throw new Error(`wave ${ref.wave} of ${ref.runId} has no chunk ${ref.chunk}`);
    if (status === "CANCELLED" || status === "FAILED") {
      await cancelFirstPass(deps, ref, run, node.templateId, channel, part);
    } else if (status === "RUNNING") {
      if (opts.signal?.aborted) throw new ChunkInterruptedError();
      if (slice) await deps.rateLimiter!.take(channel, part.customerIds.length);
      const at = (deps.now ?? (() => new Date()))();
      let r: FirstPassResult;
      try {
        r = await firstPass(deps, run, provider, template, node.templateId, ref, channel, claimant, at, part, !!opts.retry);
      } catch (err) {
        if (slice) await deps.rateLimiter!.take(channel, -part.customerIds.length);
        throw err;
      }
      if (slice && r.sent < part.customerIds.length) await deps.rateLimiter!.take(channel, r.sent - part.customerIds.length);
      out.sent += r.sent;
      out.suppressed += r.suppressed;
      out.failed += r.failed;
      out.recovered += r.recovered;
      out.deferred += r.deferred.length;
      deferred.push(...r.deferred);
      if (r.transient.length) {
        out.transient += r.transient.length;
        throw new TransientSendError(r.transient.length, r.transient[0]?.error);
      }
      // Rows left for a later pass are deferred ones (their own delayed job) — unless an earlier
      // attempt had already done the first pass, or this is a retry. A halted pass goes on to the
      // status handling below (pause, or cancel: the chunk's contacts written CANCELLED).
      if (r.halted) {
        status = await runStatus(db, ref.runId);
        if (status === "CANCELLED" || status === "FAILED") await cancelFirstPass(deps, ref, run, node.templateId, channel, part);
      }
      legacy = r.done || r.halted === true || !!opts.retry;
    }
  }
  for (let first = true; legacy; first = false) {
    // (A status from the cached context is re-read: these slices check it nowhere else.)
    if (!first || cached) status = await runStatus(db, ref.runId);
    if (status === "CANCELLED" || status === "FAILED") {
      await db.$executeRaw`UPDATE contact SET status = 'CANCELLED' WHERE ${inChunk(ref)} AND status = 'QUEUED'`;
      await maybeFinishSendWave(deps, ref);
      return { ...out, state: "cancelled" };
    }
    if (status !== "RUNNING") return { ...out, state: "paused" };
    if (opts.signal?.aborted) throw new ChunkInterruptedError();
    if (slice) await deps.rateLimiter!.take(channel, slice);
    if (opts.signal?.aborted) {
      await deps.rateLimiter!.take(channel, -slice!);
      throw new ChunkInterruptedError();
    }
    const at = (deps.now ?? (() => new Date()))();
    const r = await sendSlice(deps, run, provider, template, ref, channel, claimant, at, slice ?? CHUNK_SIZE * 100, !!opts.retry);
    if (slice && r.sent < slice) await deps.rateLimiter!.take(channel, r.sent - slice);
    // (recovered contacts were sent by the dead attempt and took their tokens then)
    out.sent += r.sent;
    out.suppressed += r.suppressed;
    out.failed += r.failed;
    out.recovered += r.recovered;
    out.deferred += r.deferred.length;
    deferred.push(...r.deferred);
    if (r.transient.length) {
      out.transient += r.transient.length;
      throw new TransientSendError(r.transient.length, r.transient[0]?.error);
    }
    if (!slice || r.rows === 0) break;
  }
  if (deferred.length) {
    const until = Math.min(...deferred.map((d) => d.getTime()));
    await deps.queue.enqueueChunks([ref], { delayMs: Math.max(0, until - Date.now()), suffix: `at${until}` });
  }
  await maybeFinishSendWave(deps, ref);
  return out;
}

interface Candidate {
  id: string;
  reason: string | null;
  next_allowed: Date | null;
  name: string;
  gender: "M" | "F" | "U";
  address: string | null;
}

interface SliceResult {
  rows: number;
  sent: number;
  suppressed: number;
  failed: number;
  recovered: number;
  deferred: Date[];
  transient: SendResult[];
}

/** A send step's template with its product, checked once (`render`). */
type Template = (TemplateSource & { product: string | null; render: ReturnType<typeof compileTemplate> }) | null;

async function sendSlice(
  deps: DispatchDeps,
  run: RunContext,
  provider: ChannelProvider,
  template: Template,
  ref: ChunkRef,
  channel: Channel,
  claimant: string,
  at: Date,
  limit: number,
  retry: boolean,
): Promise<SliceResult> {
  const policy = await loadPolicy(deps.db, channel);
  const params = guardrailParams(run, policy, channel, ref, at);
  const capped = policy.dailyCap !== null || policy.weeklyCap !== null;
  const queuedCustomers = Prisma.sql`SELECT customer_id FROM contact WHERE ${inChunk(ref)} AND status = 'QUEUED'`;
  return sqlTransaction(deps.db, async (tx) => {
      await tx.rows(Prisma.sql`SELECT ${TX_SETTINGS}`);
      if (capped) await tx.rows(Prisma.sql`${capLockSql(channel, queuedCustomers)}`);
      await tx.rows(Prisma.sql`SELECT 1 FROM consent WHERE customer_id IN (${queuedCustomers}) AND purpose = 'MARKETING' AND channel = ${channel}::"Channel" FOR SHARE`);
      const rows = await tx.rows<Candidate>(Prisma.sql`
        SELECT ct.id::text AS id, ${reasonSql(params)} AS reason, ${nextAllowedSql(params)} AS next_allowed, cu.name, cu.gender::text AS gender, ${addressSql(channel)} AS address
        FROM contact ct JOIN customer cu ON cu.id = ct.customer_id
        WHERE ${inChunk(ref, "ct")} AND ct.status = 'QUEUED' AND (ct.not_before IS NULL OR ct.not_before <= ${at}::timestamptz)
        ORDER BY ct.id LIMIT ${limit}
        FOR UPDATE OF ct SKIP LOCKED`);
      const result: SliceResult = { rows: rows.length, sent: 0, suppressed: 0, failed: 0, recovered: 0, deferred: [], transient: [] };
      if (!rows.length) return result;

      const { columns: u, ...outcome } = await sendAndCollect(deps, tx, run, provider, template, channel, rows, retry);
      Object.assign(result, outcome);
      await tx.run(Prisma.sql`
        UPDATE contact c SET
          -- A receipt may already have arrived for a message just sent (it stamps the time only).
          status = (CASE WHEN u.status = 'SENT' AND c.delivered_at IS NOT NULL THEN 'DELIVERED'
                         WHEN u.status = 'SENT' AND c.failed_at IS NOT NULL THEN 'FAILED' ELSE u.status END)::"ContactStatus",
          suppression_reason = u.reason::"SuppressionReason",
          not_before = coalesce(u.not_before, c.not_before),
          sent_at = CASE WHEN u.status = 'SENT' THEN ${at}::timestamptz END,
          failed_at = CASE WHEN u.status = 'FAILED' THEN ${at}::timestamptz ELSE c.failed_at END,
          provider_message_id = coalesce(u.pmid, c.provider_message_id),
          error = u.err,
          claimed_by = CASE WHEN u.status IN ('SENT', 'FAILED') THEN ${claimant} END,
          claimed_at = CASE WHEN u.status IN ('SENT', 'FAILED') THEN ${at}::timestamptz END,
          attempts = c.attempts + (u.status IN ('SENT', 'FAILED'))::int
        FROM unnest(${intArrayLiteral(u.ids)}::bigint[], ${u.statuses}::text[], ${u.reasons}::text[], ${u.notBefore}::timestamptz[], ${u.pmids}::text[], ${u.errors}::text[])
          AS u(id, status, reason, not_before, pmid, err)
        WHERE c.id = u.id`);
      return result;
  });
}

interface FirstPassResult extends Omit<SliceResult, "rows"> {
  /** An earlier attempt had already done the first pass (its marker exists). */
  done: boolean;
  /** The run was no longer running: nothing was done. */
  halted?: boolean;
}

interface Evaluated {
  ord: number;
  reason: string | null;
  next_allowed: Date | null;
  name: string;
  gender: "M" | "F" | "U";
  address: string | null;
  dup: boolean;
}

/** The chunk's first pass: see the file comment. */
async function firstPass(
  deps: DispatchDeps,
  run: RunContext,
  provider: ChannelProvider,
  template: Template,
  templateId: string,
  ref: ChunkRef,
  channel: Channel,
  claimant: string,
  at: Date,
  part: NonNullable<ReturnType<typeof chunkOf>>,
  retry: boolean,
): Promise<FirstPassResult> {
  const policy = await loadPolicy(deps.db, channel);
  const params = guardrailParams(run, policy, channel, ref, at);
  const cids = part.customerIds;
  const cidArray = Prisma.sql`${intArrayLiteral(cids)}::int[]`;
  const customers = Prisma.sql`SELECT unnest(${cidArray})`;
  return sqlTransaction(deps.db, async (tx) => {
      // (The run's status again: a pause or cancel while this job waited for rate-limit tokens
      // or CPU stops it here, before anything is sent.)
      const [state] = await tx.rows<{ status: string | null }>(Prisma.sql`SELECT ${TX_SETTINGS}, (${capLockSql(channel, customers, useFineLocks(cids))}) AS caps,
        (SELECT count(*) FROM (SELECT 1 FROM consent WHERE customer_id = ANY(${cidArray}) AND purpose = 'MARKETING' AND channel = ${channel}::"Channel" FOR SHARE) k) AS consents,
        (SELECT status::text FROM campaign_run WHERE id = ${ref.runId}) AS status`, PREPARED);
      if (state?.status !== "RUNNING") return { done: false, halted: true, sent: 0, suppressed: 0, failed: 0, recovered: 0, deferred: [], transient: [] };
      const { from, facts } = chunkFactsSql(params, cids);
      const dedupe = dedupeSql(ref, channel, cids);
      const rows = await tx.rows<Evaluated>(Prisma.sql`
        SELECT m.ord::int AS ord, ${reasonSql(params, facts)} AS reason, ${nextAllowedSql(params)} AS next_allowed, cu.name, cu.gender::text AS gender,
               ${addressSql(channel)} AS address, ${dedupe.dup} AS dup
        FROM ${from} ${dedupe.join}
        WHERE NOT EXISTS (SELECT 1 FROM campaign_chunk c WHERE c.run_id = ${ref.runId} AND c.step_id = ${ref.stepId} AND c.wave = ${ref.wave} AND c.chunk = ${ref.chunk})`);
      const result: FirstPassResult = { done: false, halted: false, sent: 0, suppressed: 0, failed: 0, recovered: 0, deferred: [], transient: [] };
      const first = Number(part.firstId);
      const idOf = Number.isSafeInteger(first + cids.length) ? (ord: number) => String(first + ord - 1) : (ord: number) => String(part.firstId + BigInt(ord - 1));
      const live = rows.filter((r) => !r.dup).map((r) => ({ ...r, id: idOf(r.ord) }));
      const { columns: u, ...outcome } = await sendAndCollect(deps, tx, run, provider, template, channel, live, retry);
      Object.assign(result, outcome);
      const customerIds = live.map((r) => cids[r.ord - 1]!);
      const duplicates = rows.length - live.length;
      const [w] = await tx.rows<{ marked: number }>(Prisma.sql`
        WITH ins AS (
          INSERT INTO contact (id, run_id, campaign_id, customer_id, step_id, channel, template_id, wave, chunk, status, suppression_reason,
                               not_before, sent_at, failed_at, provider_message_id, error, claimed_by, claimed_at, attempts)
          SELECT u.id, ${ref.runId}, ${run.campaignId}, u.customer_id, ${ref.stepId}, ${channel}::"Channel", ${templateId}, ${ref.wave}, ${ref.chunk},
                 u.status::"ContactStatus", u.reason::"SuppressionReason", u.not_before,
                 CASE WHEN u.status = 'SENT' THEN ${at}::timestamptz END, CASE WHEN u.status = 'FAILED' THEN ${at}::timestamptz END,
                 u.pmid, u.err,
                 CASE WHEN u.status IN ('SENT', 'FAILED') THEN ${claimant} END, CASE WHEN u.status IN ('SENT', 'FAILED') THEN ${at}::timestamptz END,
                 (u.status IN ('SENT', 'FAILED'))::int
          FROM unnest(${intArrayLiteral(u.ids)}::bigint[], ${intArrayLiteral(customerIds)}::int[], ${u.statuses}::text[], ${u.reasons}::text[], ${u.notBefore}::timestamptz[], ${u.pmids}::text[], ${u.errors}::text[])
            AS u(id, customer_id, status, reason, not_before, pmid, err)
        ), dup AS (
          INSERT INTO suppression_count (run_id, step_id, reason, count)
          SELECT ${ref.runId}, ${ref.stepId}, 'DUPLICATE', ${duplicates} WHERE ${duplicates} > 0
          ON CONFLICT (run_id, step_id, reason) DO UPDATE SET count = suppression_count.count + EXCLUDED.count
        ), mark AS (
          INSERT INTO campaign_chunk (run_id, step_id, wave, chunk) VALUES (${ref.runId}, ${ref.stepId}, ${ref.wave}, ${ref.chunk})
          ON CONFLICT DO NOTHING RETURNING 1
        )
        SELECT (SELECT count(*) FROM mark)::int AS marked`, PREPARED);
      // No marker written: an earlier attempt finished the first pass (and nothing was evaluated).
      result.done = !w?.marked;
      return result;
  });
}

/** What `sendAndCollect` did, and the contacts' outcome columns (in the rows' order) for one set-based write. */
interface Collected extends Omit<SliceResult, "rows"> {
  columns: { ids: string[]; statuses: string[]; reasons: (string | null)[]; notBefore: (Date | null)[]; pmids: (string | null)[]; errors: (string | null)[] };
}

/**
 * Sends a claimed batch and decides every row's outcome: the eligible rows (no suppression reason)
 * go to the provider while the campaign's budget pays for them (the rest held QUEUED, and the
 * campaign paused), except those a retried attempt finds already accepted there (recovered); a row
 * whose template does not render fails on its own. SUPPRESSED rows keep their reason, DEFER rows
 * stay QUEUED until their next allowed instant, transient failures stay QUEUED (the job throws).
 */
async function sendAndCollect(
  deps: DispatchDeps,
  tx: SqlTx,
  run: RunContext,
  provider: ChannelProvider,
  template: Template,
  channel: Channel,
  rows: Candidate[],
  retry: boolean,
): Promise<Collected> {
  const eligible = rows.filter((r) => r.reason === null);
  const accepted = retry && eligible.length && canReconcile(provider) ? await provider.findAccepted(eligible.map((r) => r.id)) : new Map<string, string | undefined>();
  const unrenderable: SendResult[] = [];
  const messages: OutboundMessage[] = [];
  // Recovered sends were made (and paid) already; new ones only while the budget lasts.
  let allowance = eligible.length > accepted.size ? await budgetAllowance(tx, run, channel) : Infinity;
  const held = new Set<string>();
  for (const r of eligible) {
    if (accepted.has(r.id)) continue;
    if (allowance <= 0) {
      held.add(r.id);
      continue;
    }
    allowance--;
    const m = message(deps, template, channel, r);
    if (typeof m === "string") unrenderable.push({ contactId: r.id, outcome: "PERMANENT_FAILURE", error: `template: ${m}`.slice(0, 200) });
    else messages.push(m);
  }
  const results = messages.length ? await provider.sendBatch(messages) : [];
  if (results.length !== messages.length) throw new Error(`provider returned ${results.length} results for ${messages.length} messages`);
  const byId = new Map<string, SendResult>([...results, ...unrenderable].map((r) => [r.contactId, r]));
  for (const [id, pmid] of accepted) byId.set(id, { contactId: id, outcome: "ACCEPTED", ...(pmid ? { providerMessageId: pmid } : {}) });

  const out: Collected = {
    sent: 0,
    suppressed: 0,
    failed: 0,
    recovered: accepted.size,
    deferred: [],
    transient: [],
    columns: { ids: [], statuses: [], reasons: [], notBefore: [], pmids: [], errors: [] },
  };
  const c = out.columns;
  const push = (r: Candidate, status: string, reason: string | null, notBefore: Date | null) => {
    const sent = byId.get(r.id);
    c.ids.push(r.id);
    c.statuses.push(status);
    c.reasons.push(reason);
    c.notBefore.push(notBefore);
    c.pmids.push(sent?.providerMessageId ?? null);
    c.errors.push(sent?.error ?? null);
  };
  for (const r of rows) {
    if (r.reason === "DEFER") {
      push(r, "QUEUED", null, r.next_allowed);
      if (r.next_allowed) out.deferred.push(r.next_allowed);
    } else if (r.reason !== null) {
      push(r, "SUPPRESSED", r.reason, null);
      out.suppressed++;
    } else if (held.has(r.id)) {
      push(r, "QUEUED", null, null); // over budget: left for a resume
    } else {
      const sent = byId.get(r.id);
      const outcome = sent?.outcome ?? "TRANSIENT_FAILURE";
      push(r, outcome === "ACCEPTED" ? "SENT" : outcome === "PERMANENT_FAILURE" ? "FAILED" : "QUEUED", null, null);
      if (outcome === "ACCEPTED") out.sent += accepted.has(r.id) ? 0 : 1;
      else if (outcome === "PERMANENT_FAILURE") out.failed++;
      else if (sent) out.transient.push(sent);
    }
  }
  if (held.size) await pauseForBudget(tx, run);
  return out;
}

/** A cancelled run: the chunk's contacts not yet written are written CANCELLED (under the chunk's locks). */
async function cancelFirstPass(deps: DispatchDeps, ref: ChunkRef, run: RunContext, templateId: string, channel: Channel, part: NonNullable<ReturnType<typeof chunkOf>>): Promise<void> {
  const cids = part.customerIds;
  await sqlTransaction(deps.db, async (tx) => {
    await tx.rows(Prisma.sql`${capLockSql(channel, Prisma.sql`SELECT unnest(${intArrayLiteral(cids)}::int[])`)}`);
    await tx.run(Prisma.sql`
      WITH ins AS (
        INSERT INTO contact (id, run_id, campaign_id, customer_id, step_id, channel, template_id, wave, chunk, status)
        SELECT ${part.firstId}::bigint + m.ord - 1, ${ref.runId}, ${run.campaignId}, m.cid, ${ref.stepId}, ${channel}::"Channel", ${templateId}, ${ref.wave}, ${ref.chunk}, 'CANCELLED'
        FROM unnest(${intArrayLiteral(cids)}::int[]) WITH ORDINALITY AS m(cid, ord)
        WHERE NOT EXISTS (SELECT 1 FROM campaign_chunk k WHERE k.run_id = ${ref.runId} AND k.step_id = ${ref.stepId} AND k.wave = ${ref.wave} AND k.chunk = ${ref.chunk})
          AND EXISTS (SELECT 1 FROM customer cu WHERE cu.id = m.cid)
        ON CONFLICT DO NOTHING
      )
      INSERT INTO campaign_chunk (run_id, step_id, wave, chunk) VALUES (${ref.runId}, ${ref.stepId}, ${ref.wave}, ${ref.chunk}) ON CONFLICT DO NOTHING`);
  });
}

/**
 * Budget stop: how many more messages on `channel` the campaign's budget pays for, `Infinity`
 * without a budget or a price. Takes the campaign row's lock (FOR NO KEY UPDATE) until the
 * transaction ends, so the budgeted campaign's chunks count and spend one at a time and never
 * overshoot; spent = Σ messages sent (`sent_at`) × the channel's price, as in the funnel.
 */
async function budgetAllowance(tx: SqlTx, run: RunContext, channel: Channel): Promise<number> {
  const price = Number(run.prices[channel]) || 0;
  if (run.budget === null || price <= 0) return Infinity;
  const [c] = await tx.rows<{ budget: string | null }>(Prisma.sql`SELECT budget::text AS budget FROM campaign WHERE id = ${run.campaignId} FOR NO KEY UPDATE`);
  if (!c || c.budget === null) return Infinity;
  const sent = await tx.rows<{ channel: Channel; n: number }>(Prisma.sql`
    SELECT channel::text AS channel, count(*)::int AS n FROM contact WHERE ${ofCampaign(run.campaignId)} AND sent_at IS NOT NULL GROUP BY channel`);
  const spent = sent.reduce((sum, r) => sum + r.n * (Number(run.prices[r.channel]) || 0), 0);
  return Math.max(0, Math.floor((Number(c.budget) - spent) / price + 1e-9));
}

/** The budget is spent: the campaign and its run pause (audited); raising the budget and resuming continues. */
async function pauseForBudget(tx: SqlTx, run: RunContext): Promise<void> {
  const runs = await tx.run(Prisma.sql`UPDATE campaign_run SET status = 'PAUSED' WHERE id = ${run.runId} AND status = 'RUNNING'`);
  const campaigns = await tx.run(Prisma.sql`UPDATE campaign SET status = 'PAUSED' WHERE id = ${run.campaignId} AND status = 'RUNNING'`);
  if (runs || campaigns) {
    await writeAuditSql(tx, { action: "LAUNCH", actor: null, targetType: "campaign", targetId: run.campaignId, reason: "budget reached", details: { control: "pause", budget: run.budget, runId: run.runId } });
  }
}

function guardrailParams(run: RunContext, policy: Awaited<ReturnType<typeof loadPolicy>>, channel: Channel, ref: ChunkRef, at: Date): GuardrailParams {
  const eventMs = waveEventTime(ref.wave);
  return {
    channel,
    productRisk: run.productRisk,
    policy,
    quietHoursPolicy: run.quietHoursPolicy,
    at,
    expiresAt: eventMs !== null && run.triggerWindowSeconds ? new Date(eventMs + run.triggerWindowSeconds * 1000) : null,
  };
}

/** The message for one recipient, or why it cannot be rendered. */
function message(deps: DispatchDeps, template: Template, channel: Channel, r: Candidate): OutboundMessage | string {
  if (!template) return "the send step's template does not exist";
  const link = template.linkUrl && deps.linkFor ? deps.linkFor(r.id, template.linkUrl) : undefined;
  try {
    const text = template.render({ customer: { name: r.name, gender: r.gender }, productName: template.product, link: link ?? null });
    return { contactId: r.id, channel, to: r.address ?? "", ...(text.subject !== undefined ? { subject: text.subject } : {}), body: text.body, ...(link ? { link } : {}) };
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function runStatus(db: Db, runId: string): Promise<string | undefined> {
  const rows = await db.$queryRaw<{ status: string }[]>`SELECT status::text FROM campaign_run WHERE id = ${runId}`;
  return rows[0]?.status;
}

/** When a trigger wave's first event was published (`TRIGGER_WAVE`), or null for a batch wave. */
export function waveEventTime(wave: string): number | null {
  const m = TRIGGER_WAVE.exec(wave);
  return m ? Number(m[1]) : null;
}

const templateCache = new Map<string, { at: number; t: Template }>();

async function loadTemplate(db: Db, campaignId: string, templateId: string): Promise<Template> {
  const hit = templateCache.get(templateId);
  if (hit && Date.now() - hit.at < 10_000) return hit.t;
  const row = await db.campaignTemplate.findFirst({ where: { id: templateId, campaignId } });
  const product = await db.campaignProduct.findFirst({ where: { campaignId }, select: { product: { select: { name: true } } }, orderBy: { productId: "asc" } });
  const source = row ? { channel: row.channel, subject: row.subject, body: row.body, optOutText: row.optOutText, linkUrl: row.linkUrl } : null;
  const t = source ? { ...source, product: product?.product.name ?? null, render: compileTemplate(source) } : null;
  templateCache.set(templateId, { at: Date.now(), t });
  return t;
}
