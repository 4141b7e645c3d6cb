/**
 * Before the integration and end-to-end tests: are PostgreSQL and Redis reachable? Prints the
 * URLs to use as shell assignments on stdout (test.sh evaluates them) and, when something is
 * missing, what to do on stderr with exit code 1.
 * Candidates: TEST_DATABASE_URL / DATABASE_URL and REDIS_URL → the default local ports →
 * the services of a running start command (.data/run.env).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withDatabase } from "../packages/db/src/pg-config";
import { readEnvFile } from "./lib/env-file";
import { probePostgres, probeRedis } from "./lib/probe";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const running = readEnvFile(path.join(root, ".data/run.env"));

async function first(candidates: (string | undefined)[], probe: (url: string) => Promise<string | null>) {
  const tried: string[] = [];
  for (const url of candidates) {
    if (!url || tried.some((t) => t.startsWith(`${url} `))) continue;
    const error = await probe(url);
    if (!error) return { url, tried };
    tried.push(`${url} (${error})`);
  }
  return { url: null, tried };
}

const explicitPg = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const pgResult = await first(
  explicitPg ? [explicitPg] : ["postgresql://postgres@127.0.0.1:5432/postgres", running.DATABASE_URL],
  (url) => probePostgres(withDatabase(url, "postgres")),
);
const redisResult = await first(process.env.REDIS_URL ? [process.env.REDIS_URL] : ["redis://127.0.0.1:6379", running.REDIS_URL], probeRedis);

const redact = (s: string) => s.replace(/\/\/([^:@/]+):[^@/]+@/g, "//$1:***@");
let ok = true;
if (!pgResult.url) {
  ok = false;
  console.error(
    `✗ PostgreSQL is not reachable (tried ${pgResult.tried.map(redact).join("; ")}).\n` +
      "  The integration tests create and drop their own databases on a PostgreSQL server. Either:\n" +
      "    sudo apt-get install -y postgresql      (Debian; then rerun the tests)\n" +
      "    docker compose up -d                    (PostgreSQL and Redis from docker-compose.yml)\n" +
      "    TEST_DATABASE_URL=postgresql://user:password@host:5432/postgres  (a server of your own)\n" +
      "  or keep `bash scripts/start.sh` running in another terminal: the tests then use its services.",
  );
}
if (!redisResult.url) {
  ok = false;
  console.error(
    `✗ Redis is not reachable (tried ${redisResult.tried.map(redact).join("; ")}).\n` +
      "    sudo apt-get install -y redis-server    (Debian; then rerun the tests)\n" +
      "    docker compose up -d\n" +
      "    REDIS_URL=redis://host:6379",
  );
}
if (!ok) process.exit(1);
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
console.log(`export TEST_DATABASE_URL=${quote(pgResult.url!)}`);
console.log(`export REDIS_URL=${quote(redisResult.url!)}`);
console.error(`✓ PostgreSQL ${redact(pgResult.url!)} and Redis ${redisResult.url} reachable`);
