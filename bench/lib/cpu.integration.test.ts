import { availableParallelism } from "node:os";
import pg from "pg";
import { expect, it } from "vitest";
import { pgConfigFromUrl, withDatabase } from "../../packages/db/src/pg-config";
import { postgresCpuMs, processCpuMs } from "./cpu";
import { serverUrl } from "./temp-db";

it("counts the CPU a query costs the local PostgreSQL, and this process's own", async () => {
  const c = new pg.Client(pgConfigFromUrl(withDatabase(serverUrl(), "postgres")));
  await c.connect();
  try {
    const before = postgresCpuMs();
    expect(before).not.toBeNull();
    // a few hundred ms of server work, none of it here
    const t0 = performance.now();
    await c.query("SELECT count(*) FROM generate_series(1, 4000000) g WHERE g % 7 = 3");
    const wall = performance.now() - t0;
    const spent = postgresCpuMs()! - before!;
    // the query alone costs well over 50 ms of a core; all PostgreSQL processes together (other
    // tests run beside this one) cannot have spent more than every core for the whole time
    expect(spent).toBeGreaterThan(50);
    expect(spent).toBeLessThanOrEqual(availableParallelism() * wall + 20);

    const cpu0 = process.cpuUsage();
    let x = 0;
    for (let i = 0; i < 3e7; i++) x = (x + i) % 1_000_003;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(processCpuMs(cpu0)).toBeGreaterThan(5);
  } finally {
    await c.end();
  }
});
