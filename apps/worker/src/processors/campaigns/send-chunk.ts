/**
 * campaigns.send-chunk: sends one chunk exactly once (core dispatch/send-chunk.ts). Transient
 * provider failures throw and BullMQ retries with backoff; a chunk that cannot be sent at all
 * (its run or step is gone) is an `UnrecoverableError` and lands in the failed list, which is
 * the dead-letter view.
 */
import { UnrecoverableError } from "bullmq";
import { campaignChunkJob } from "@mkt/jobs";
import { processChunk } from "@mkt/core/campaigns/dispatch/send-chunk";
import { defineProcessor } from "../../processor";
import { dispatchDeps } from "./deps";

export const campaignSendChunk = defineProcessor(campaignChunkJob, async (job, { db, redis, log }) => {
  const deps = dispatchDeps(db, redis);
  let outcome;
  try {
    outcome = await processChunk(deps, job.data, `${deps.workerId}.${job.id}.${job.attemptsMade}`);
  } catch (err) {
    if (err instanceof Error && /is not a send step|has no node/.test(err.message)) throw new UnrecoverableError(err.message);
    throw err;
  }
  if (outcome.state === "missing") throw new UnrecoverableError(`run ${job.data.runId} does not exist`);
  if (outcome.recovered) log.warn({ recovered: outcome.recovered }, "recovered stale claims of a dead attempt");
  return outcome;
});
