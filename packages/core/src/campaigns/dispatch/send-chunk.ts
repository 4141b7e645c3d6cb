/**
 * The send path of one chunk (≤ CHUNK_SIZE contacts of one step and wave) — exactly once:
 *
 * 1. Status: a cancelled run cancels the chunk's queued contacts; a paused run leaves them
 *    (resume re-enqueues). Checked for every chunk, so both take effect within seconds.
 * 2. Recovery: SENDING contacts whose claim is stale belong to an attempt that died between
 *    claim and commit. The provider is asked which it accepted (by contact id, the idempotency
 *    key); those are marked SENT, the rest go back to QUEUED.
 * 3. Claim (one transaction): under the cap lock, every guardrail is evaluated in SQL for the
 *    whole chunk; contacts become SENDING (sent_at, claimed_by), SUPPRESSED(reason), or stay
 *    QUEUED with `not_before` (quiet hours, deferred). Committed before anything is sent.
 * 4. Send (one transaction): consent rows of the claimed customers are read FOR SHARE — an opt-out
 *    committed at T waits for this transaction, so nothing is sent after T — then the provider
 *    gets the batch and the outcomes are written, only where our claim still holds.
 *    A crash after the provider accepted and before this commit leaves SENDING rows: step 2.
 * 5. Transient failures go back to QUEUED and the job throws (BullMQ retries with backoff);
 *    permanent ones are FAILED. Deferred contacts get a delayed job at their `not_before`.
 */
import { Prisma, type Db } from "@mkt/db";
import type { Channel, OutboundMessage, SendResult } from "../channels/provider";
import { loadPolicy, loadRun, type RunContext } from "./context";
import { addressSql, capLockSql, nextAllowedSql, reasonSql } from "./guardrails-sql";
import { renderTemplate, type TemplateParts } from "./render";
import { canReconcile, CHUNK_SIZE, type ChunkRef, type DispatchDeps } from "./types";
import { maybeFinishSendWave } from "./waves";

export interface ChunkOutcome {
  state: "done" | "paused" | "cancelled" | "missing";
  sent: number;
  suppressed: number;
  deferred: number;
  failed: number;
  transient: number;
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

const inChunk = (ref: ChunkRef) =>
  Prisma.sql`run_id = ${ref.runId} AND step_id = ${ref.stepId} AND wave = ${ref.wave} AND chunk = ${ref.chunk}`;

export async function processChunk(deps: DispatchDeps, ref: ChunkRef, claimant: string): Promise<ChunkOutcome> {
  const { db } = deps;
  const run = await loadRun(db, ref.runId);
  if (!run) return empty("missing");
  const node = run.graph.node(ref.stepId);
  if (node.type !== "send") throw new Error(`node "${ref.stepId}" is not a send step`);
  const channel = node.channel;
  const provider = deps.provider(channel);
  const out = empty("done");
  // A rate-limited channel is claimed and sent in slices of about half a second of its rate, with
  // the tokens taken before the claim (a claim is held only while the provider is called) and the
  // run's status read again before every slice, so pause and cancel stop a chunk within a slice.
  const slice = deps.rateLimiter?.sliceSize(channel) ?? null;
  let status: string | undefined = run.runStatus;
  let deferred: Date[] = [];
  for (let first = true; ; first = false) {
    if (!first) status = await runStatus(db, ref.runId);
    if (status === "CANCELLED" || status === "FAILED") {
      await db.$executeRaw`UPDATE contact SET status = 'CANCELLED' WHERE ${inChunk(ref)} AND status = 'QUEUED'`;
      await maybeFinishSendWave(deps, ref);
      return { ...out, state: "cancelled" };
    }
    if (status !== "RUNNING") return { ...out, state: "paused" };
    if (first) out.recovered = await recoverStaleClaims(deps, ref, channel);
    if (slice) await deps.rateLimiter!.take(channel, slice);
    const now = (deps.now ?? (() => new Date()))();
    const claimed = await claim(db, run, ref, channel, claimant, now, slice ?? CHUNK_SIZE * 2);
    if (slice && claimed.ids.length < slice) await deps.rateLimiter!.take(channel, claimed.ids.length - slice);
    out.suppressed += claimed.suppressed;
    out.deferred += claimed.deferred.length;
    deferred = deferred.concat(claimed.deferred);
    if (claimed.ids.length) {
      const messages = await buildMessages(deps, run, node.templateId, channel, ref, claimant);
      const r = await sendClaimed(db, provider, channel, ref, claimant, messages);
      out.sent += r.sent;
      out.failed += r.failed;
      out.transient += r.transient.length;
      out.suppressed += r.optedOut;
      if (r.transient.length) throw new TransientSendError(r.transient.length, r.transient[0]?.error);
    }
    if (!slice || claimed.rows === 0) break;
  }

  if (deferred.length) {
    const until = Math.min(...deferred.map((d) => d.getTime()));
    await deps.queue.enqueueChunks([ref], { delayMs: Math.max(0, until - Date.now()), suffix: `at${until}` });
  }
  await maybeFinishSendWave(deps, ref);
  return out;
}

interface Claim {
  /** Rows taken (sent, suppressed or deferred). */
  rows: number;
  ids: string[];
  suppressed: number;
  deferred: Date[];
}

async function claim(db: Db, run: RunContext, ref: ChunkRef, channel: Channel, claimant: string, at: Date, limit: number): Promise<Claim> {
  const policy = await loadPolicy(db, channel);
  const eventMs = waveEventTime(ref.wave);
  const params = {
    channel,
    productRisk: run.productRisk,
    policy,
    quietHoursPolicy: run.quietHoursPolicy,
    at,
    expiresAt: eventMs !== null && run.triggerWindowSeconds ? new Date(eventMs + run.triggerWindowSeconds * 1000) : null,
  };
  const capped = policy.dailyCap !== null || policy.weeklyCap !== null;
  return db.$transaction(
    async (tx) => {
      if (capped) await tx.$queryRaw`${capLockSql(channel, Prisma.sql`SELECT customer_id FROM contact WHERE ${inChunk(ref)} AND status = 'QUEUED'`)}`;
      const rows = await tx.$queryRaw<{ id: string; status: string; not_before: Date | null }[]>`
        WITH due AS (
          SELECT ct.id, ${reasonSql(params)} AS reason, ${nextAllowedSql(params)} AS next_allowed
          FROM contact ct JOIN customer cu ON cu.id = ct.customer_id
          WHERE ct.run_id = ${ref.runId} AND ct.step_id = ${ref.stepId} AND ct.wave = ${ref.wave} AND ct.chunk = ${ref.chunk}
            AND ct.status = 'QUEUED' AND (ct.not_before IS NULL OR ct.not_before <= ${at}::timestamptz)
          ORDER BY ct.id LIMIT ${limit}
          FOR UPDATE OF ct SKIP LOCKED
        )
        UPDATE contact c SET
          status = (CASE WHEN d.reason IS NULL THEN 'SENDING' WHEN d.reason = 'DEFER' THEN 'QUEUED' ELSE 'SUPPRESSED' END)::"ContactStatus",
          suppression_reason = (CASE WHEN d.reason IS NULL OR d.reason = 'DEFER' THEN NULL ELSE d.reason END)::"SuppressionReason",
          not_before = CASE WHEN d.reason = 'DEFER' THEN d.next_allowed ELSE c.not_before END,
          sent_at = CASE WHEN d.reason IS NULL THEN ${at}::timestamptz END,
          claimed_by = CASE WHEN d.reason IS NULL THEN ${claimant} END,
          claimed_at = CASE WHEN d.reason IS NULL THEN ${at}::timestamptz END,
          attempts = c.attempts + (d.reason IS NULL)::int
        FROM due d WHERE c.id = d.id
        RETURNING c.id::text AS id, c.status::text AS status, c.not_before`;
      const claim: Claim = { rows: rows.length, ids: [], suppressed: 0, deferred: [] };
      for (const r of rows) {
        if (r.status === "SENDING") claim.ids.push(r.id);
        else if (r.status === "SUPPRESSED") claim.suppressed++;
        else if (r.not_before) claim.deferred.push(r.not_before);
      }
      return claim;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

async function runStatus(db: Db, runId: string): Promise<string | undefined> {
  const rows = await db.$queryRaw<{ status: string }[]>`SELECT status::text FROM campaign_run WHERE id = ${runId}`;
  return rows[0]?.status;
}

/** Trigger waves are keyed by the stream entry id of their first event: `t<ms>-<seq>`. */
export function waveEventTime(wave: string): number | null {
  const m = /^t(\d+)-\d+/.exec(wave);
  return m ? Number(m[1]) : null;
}

interface Recipient {
  id: string;
  customer_id: number;
  name: string;
  address: string | null;
}

const templateCache = new Map<string, { at: number; t: (TemplateParts & { linkUrl: string | null; product: string | null }) | null }>();

async function loadTemplate(db: Db, campaignId: string, templateId: string) {
  const hit = templateCache.get(templateId);
  if (hit && Date.now() - hit.at < 10_000) return hit.t;
  const row = await db.campaignTemplate.findFirst({ where: { id: templateId, campaignId } });
  const product = await db.campaignProduct.findFirst({ where: { campaignId }, select: { product: { select: { name: true } } }, orderBy: { productId: "asc" } });
  const t = row ? { channel: row.channel, subject: row.subject, body: row.body, optOutText: row.optOutText, linkUrl: row.linkUrl, product: product?.product.name ?? null } : null;
  templateCache.set(templateId, { at: Date.now(), t });
  return t;
}

/** Addresses and names are read here, at send time, and go only to the provider. */
async function buildMessages(deps: DispatchDeps, run: RunContext, templateId: string, channel: Channel, ref: ChunkRef, claimant: string): Promise<OutboundMessage[]> {
  const template = await loadTemplate(deps.db, run.campaignId, templateId);
  const rows = await deps.db.$queryRaw<Recipient[]>`
    SELECT c.id::text AS id, cu.id AS customer_id, cu.name, ${addressSql(channel)} AS address
    FROM contact c JOIN customer cu ON cu.id = c.customer_id
    WHERE c.run_id = ${ref.runId} AND c.step_id = ${ref.stepId} AND c.wave = ${ref.wave} AND c.chunk = ${ref.chunk}
      AND c.status = 'SENDING' AND c.claimed_by = ${claimant}
    ORDER BY c.id`;
  return rows.map((r) => {
    const link = template?.linkUrl && deps.linkFor ? deps.linkFor(r.id, template.linkUrl) : undefined;
    const text = template
      ? renderTemplate(template, { name: r.name, ...(template.product ? { product: template.product } : {}), ...(link ? { link } : {}) })
      : { body: "" };
    return { contactId: r.id, channel, to: r.address ?? "", ...text, ...(link ? { link } : {}) };
  });
}

async function sendClaimed(
  db: Db,
  provider: ReturnType<DispatchDeps["provider"]>,
  channel: Channel,
  ref: ChunkRef,
  claimant: string,
  messages: OutboundMessage[],
): Promise<{ sent: number; failed: number; optedOut: number; transient: SendResult[] }> {
  return db.$transaction(
    async (tx) => {
      // Opt-outs committed since the claim: and the lock keeps new ones waiting until we commit.
      const consenting = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id::text AS id FROM contact c
        JOIN consent k ON k.customer_id = c.customer_id AND k.purpose = 'MARKETING' AND k.channel = ${channel}::"Channel" AND k.granted
        WHERE c.run_id = ${ref.runId} AND c.step_id = ${ref.stepId} AND c.wave = ${ref.wave} AND c.chunk = ${ref.chunk}
          AND c.status = 'SENDING' AND c.claimed_by = ${claimant}
        FOR SHARE OF k`;
      const ok = new Set(consenting.map((r) => r.id));
      const optedOut = messages.filter((m) => !ok.has(m.contactId)).map((m) => BigInt(m.contactId));
      if (optedOut.length) {
        await tx.$executeRaw`UPDATE contact SET status = 'SUPPRESSED', suppression_reason = 'NO_CONSENT', sent_at = NULL, claimed_by = NULL
          WHERE id = ANY(${optedOut}::bigint[]) AND claimed_by = ${claimant}`;
      }
      const batch = messages.filter((m) => ok.has(m.contactId));
      const results = batch.length ? await provider.sendBatch(batch) : [];
      if (results.length !== batch.length) throw new Error(`provider returned ${results.length} results for ${batch.length} messages`);
      await writeOutcomes(tx, results, claimant);
      return {
        sent: results.filter((r) => r.outcome === "ACCEPTED").length,
        failed: results.filter((r) => r.outcome === "PERMANENT_FAILURE").length,
        optedOut: optedOut.length,
        transient: results.filter((r) => r.outcome === "TRANSIENT_FAILURE"),
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function writeOutcomes(tx: Prisma.TransactionClient, results: SendResult[], claimant: string | null): Promise<void> {
  if (!results.length) return;
  await tx.$executeRaw`
    UPDATE contact c SET
      -- A receipt may have arrived while we held the claim (it stamps the time, leaves the status to us).
      status = (CASE r.outcome
        WHEN 'ACCEPTED' THEN CASE WHEN c.delivered_at IS NOT NULL THEN 'DELIVERED' WHEN c.failed_at IS NOT NULL THEN 'FAILED' ELSE 'SENT' END
        WHEN 'PERMANENT_FAILURE' THEN 'FAILED' ELSE 'QUEUED' END)::"ContactStatus",
      provider_message_id = r.pmid,
      error = r.err,
      sent_at = CASE WHEN r.outcome = 'ACCEPTED' THEN c.sent_at END,
      failed_at = CASE WHEN r.outcome = 'PERMANENT_FAILURE' THEN now() ELSE c.failed_at END,
      claimed_by = NULL
    FROM unnest(${results.map((r) => BigInt(r.contactId))}::bigint[], ${results.map((r) => r.outcome)}::text[],
                ${results.map((r) => r.providerMessageId ?? null)}::text[], ${results.map((r) => r.error ?? null)}::text[]) AS r(id, outcome, pmid, err)
    WHERE c.id = r.id AND c.status = 'SENDING' AND (${claimant}::text IS NULL OR c.claimed_by = ${claimant})`;
}

/** Step 2: contacts left SENDING by a dead attempt. */
async function recoverStaleClaims(deps: DispatchDeps, ref: ChunkRef, channel: Channel): Promise<number> {
  const staleMs = deps.staleClaimMs ?? 30_000;
  const stale = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM contact
    WHERE ${inChunk(ref)} AND status = 'SENDING' AND claimed_at < now() - ${staleMs} * interval '1 millisecond'`;
  if (!stale.length) return 0;
  const ids = stale.map((r) => r.id);
  const provider = deps.provider(channel);
  const accepted = canReconcile(provider) ? await provider.findAccepted(ids) : new Map<string, string | undefined>();
  await deps.db.$transaction(async (tx) => {
    await writeOutcomes(
      tx,
      ids.filter((id) => accepted.has(id)).map((id) => ({ contactId: id, outcome: "ACCEPTED" as const, ...(accepted.get(id) ? { providerMessageId: accepted.get(id)! } : {}) })),
      null,
    );
    await tx.$executeRaw`UPDATE contact SET status = 'QUEUED', sent_at = NULL, claimed_by = NULL, claimed_at = NULL
      WHERE id = ANY(${ids.filter((id) => !accepted.has(id)).map((i) => BigInt(i))}::bigint[]) AND status = 'SENDING'`;
  });
  return ids.length;
}
