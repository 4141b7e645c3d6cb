/**
 * Integration-test harness for campaign dispatch: the real worker process as a child (so it can be
 * killed with SIGKILL or drained with SIGTERM), optionally against a private `redis-server` on
 * another port (so Redis can be killed and restarted without touching the shared one), and the
 * provider-side counts from the sandbox ledger (`sandbox_message`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@mkt/db";
import { createJobsClient, listWorkerHeartbeats, type JobsClient } from "@mkt/jobs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../..");
/** Short links need a key and a base URL. */
export const TRACKING_ENV = { TRACKING_LINK_SECRET: "test-tracking-secret-0123456789abcdef", TRACKING_BASE_URL: "http://127.0.0.1:3000" };
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface CampaignWorker {
  child: ChildProcess;
  id: string;
  output(): string;
  exited: Promise<number | NodeJS.Signals | null>;
}

export function spawnCampaignWorker(env: Record<string, string>): CampaignWorker {
  const id = `cw-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/processors/campaigns/testing/campaign-worker.ts")], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: SHARED_REDIS_URL, LOG_LEVEL: "warn", LOG_FORMAT: "json", CAMPAIGN_SWEEP_MS: "500", CAMPAIGN_STALL_MS: "2000", ...TRACKING_ENV, ...env, WORKER_ID: id },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr?.on("data", (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const exited = once(child, "exit").then(([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals | null));
  return { child, id, output: () => out, exited };
}

export async function waitForWorker(jobs: JobsClient, worker: CampaignWorker, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
      return (await listWorkerHeartbeats(jobs.redis, jobs.prefix)).some((b) => b.id === worker.id);
    },
    timeoutMs,
    () => `no heartbeat from ${worker.id}:\n${worker.output()}`,
  );
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: () => string = () => "condition not met"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${message()}`);
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const port = (srv.address() as net.AddressInfo).port;
  srv.close();
  await once(srv, "close");
  return port;
}

/** A private, memory-only redis-server; `kill()` is SIGKILL, `start()` brings it back empty on the same port. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(path.join(tmpdir(), "camp-redis-"));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir], { stdio: "ignore" });
    await waitFor(() => canConnect(this.port), 10_000, () => `redis-server on ${this.port} did not start`);
  }

  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = once(p, "exit");
    p.kill("SIGKILL");
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export function jobsClient(url: string, prefix: string): JobsClient {
  return createJobsClient({ url, prefix });
}

/** What the provider saw: messages accepted, distinct contact ids, ids accepted more than once. */
export async function providerCounts(db: Db, campaignId: string): Promise<{ messages: number; ids: number; duplicates: number }> {
  const [row] = await db.$queryRaw<{ messages: number; ids: number; duplicates: number }[]>`
    SELECT coalesce(sum(n), 0)::int AS messages, count(*)::int AS ids, count(*) FILTER (WHERE n > 1)::int AS duplicates
    FROM (SELECT s.contact_id, count(*) AS n FROM sandbox_message s JOIN contact c ON c.id = s.contact_id WHERE c.campaign_id = ${campaignId} GROUP BY s.contact_id) m`;
  return row!;
}

export async function contactStatusCounts(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<{ status: string; n: number }[]>`SELECT status::text, count(*)::int AS n FROM contact WHERE campaign_id = ${campaignId} GROUP BY status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
