/**
 * The send queue's order: an event-triggered wave's chunk is taken before the chunks a batch
 * campaign queued earlier (batch chunks carry a BullMQ priority, trigger chunks none), and batch
 * chunks keep their FIFO order among themselves. Real Redis, a private key prefix.
 */
import { randomBytes } from "node:crypto";
import { Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { BATCH_CHUNK_PRIORITY, campaignDispatchQueue, chunkJobOptions } from "./campaigns";
import { createJobsClient } from "./client";
import { QUEUES, queuePrefix } from "./queues";
import { createRedis } from "./redis";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `t:${randomBytes(4).toString("hex")}`;
const client = createJobsClient({ url, prefix });

describe("campaign send queue order", () => {
  afterAll(async () => {
    await client.queue(QUEUES.campaignSends).obliterate({ force: true });
    await client.close();
  });

  it("gives batch chunks a priority and trigger chunks (and their child waves) none", () => {
    expect(chunkJobOptions({ runId: "r", stepId: "s", wave: "main", chunk: 0 }).priority).toBe(BATCH_CHUNK_PRIORITY);
    expect(chunkJobOptions({ runId: "r", stepId: "s", wave: "main/y", chunk: 3 }).priority).toBe(BATCH_CHUNK_PRIORITY);
    expect(chunkJobOptions({ runId: "r", stepId: "s", wave: "t1796029554444-3", chunk: 0 }).priority).toBeUndefined();
    expect(chunkJobOptions({ runId: "r", stepId: "s", wave: "t1796029554444-3/y", chunk: 0 }).priority).toBeUndefined();
    expect(chunkJobOptions({ runId: "r", stepId: "s", wave: "main", chunk: 0 }, { delayMs: 1500.4, suffix: "at1" })).toMatchObject({ jobId: "c.r.s.main.0.at1", delay: 1500 });
  });

  it("takes a trigger chunk before the batch chunks queued ahead of it", async () => {
    const queue = campaignDispatchQueue(client);
    await queue.enqueueChunks([0, 1, 2].map((chunk) => ({ runId: "batch", stepId: "sms", wave: "main", chunk })));
    await queue.enqueueChunks([{ runId: "trig", stepId: "sms", wave: "t1796029554444-0", chunk: 0 }]);
    const order: string[] = [];
    const connection = createRedis(url, "worker");
    const done = new Promise<void>((resolve) => {
      const worker = new Worker(
        QUEUES.campaignSends,
        async (job) => {
          order.push(`${job.data.runId}.${job.data.chunk}`);
          if (order.length === 4) setImmediate(() => void worker.close().then(() => resolve()));
        },
        { connection, prefix: queuePrefix(prefix), concurrency: 1 },
      );
    });
    await done;
    connection.disconnect();
    expect(order).toEqual(["trig.0", "batch.0", "batch.1", "batch.2"]);
  });
});
