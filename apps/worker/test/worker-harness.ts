/**
 * Runs a worker entry point as a real child process (signals, exit codes and all) against a test
 * database and a private Redis prefix, and gives the test the producer side to talk to it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createJobsClient, listWorkerHeartbeats, queuePrefix, type JobsClient, type QueueName } from "@mkt/jobs";
import { QueueEvents } from "bullmq";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface SpawnedWorker {
  child: ChildProcess;
  id: string;
  output: () => string;
  /** Resolves with the exit code (or the signal that killed it) once the process has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export function spawnWorker(entry: string, env: { DATABASE_URL: string; REDIS_PREFIX: string; SHUTDOWN_GRACE_MS?: string }): SpawnedWorker {
  const id = `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env, REDIS_URL, WORKER_ID: id, LOG_LEVEL: "info", LOG_FORMAT: "json" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exited = once(child, "exit").then(([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals | null));
  return { child, id, output: () => out, exited };
}

/** Resolves when the worker's heartbeat appears (it is written once the queues are running). */
export async function waitForHeartbeat(jobs: JobsClient, worker: SpawnedWorker, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
    const beats = await listWorkerHeartbeats(jobs.redis, jobs.prefix);
    if (beats.some((b) => b.id === worker.id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no heartbeat from ${worker.id} within ${timeoutMs} ms:\n${worker.output()}`);
}

export async function openProducer(prefix: string, queue: QueueName): Promise<{ jobs: JobsClient; events: QueueEvents; close(): Promise<void> }> {
  const jobs = createJobsClient({ url: REDIS_URL, prefix });
  const events = new QueueEvents(queue, { connection: { url: REDIS_URL }, prefix: queuePrefix(prefix) });
  await events.waitUntilReady();
  return {
    jobs,
    events,
    async close() {
      await jobs.queue(queue).obliterate({ force: true });
      await events.close();
      await jobs.close();
    },
  };
}
