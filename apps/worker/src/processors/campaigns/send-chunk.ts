/**
 * campaigns.send-chunk: sends one chunk exactly once (core dispatch/send-chunk.ts). Transient
 * provider failures throw and BullMQ retries with backoff; a chunk that cannot be sent at all
 * (its run or step is gone) is an `UnrecoverableError` and lands in the failed list, which is
 * the dead-letter view.
 */
import { UnrecoverableError } from "bullmq";
import { campaignChunkJob, chunkJobId } from "@mkt/jobs";
import { processChunk } from "@mkt/core/campaigns/dispatch/send-chunk";
import { defineProcessor } from "../../processor";
import { dispatchDeps } from "./deps";

export const campaignSendChunk = defineProcessor(campaignChunkJob, async (job, { db, redis, log, signal }) => {
  const deps = dispatchDeps(db, redis);
  let outcome;
  try {
    // A second start (retry, stalled after a kill) or a re-enqueued job first asks the provider
    // what it already accepted.
    const retry = job.attemptsStarted > 1 || job.id !== chunkJobId(job.data);
    // The claimant written on each sent contact: the worker and the attempt (the row itself names
    // its run, step, wave and chunk — the job id would repeat them in every row).
    outcome = await processChunk(deps, job.data, `${deps.workerId}.${job.attemptsStarted}`, { retry, signal });
  } catch (err) {
    if (err instanceof Error && /is not a send step|has no node/.test(err.message)) throw new UnrecoverableError(err.message);
    throw err;
  }
  if (outcome.state === "missing") throw new UnrecoverableError(`run ${job.data.runId} does not exist`);
  if (outcome.recovered) log.warn({ recovered: outcome.recovered }, "contacts a dead attempt had sent were found at the provider and marked sent");
  return outcome;
});
