/**
 * CPU time spent by a PostgreSQL backend, read from /proc when the server runs on this machine
 * (null otherwise). On a shared machine wall time says little; the CPU the load cost — the
 * server's plus the generator's — is the figure that transfers.
 */
import { readFile } from "node:fs/promises";
import type pg from "pg";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export async function backendPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return rows[0]!.pid;
}

/** utime + stime of process `pid` in milliseconds, or null when it cannot be read. */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Total CPU of the given backends, null if any is unreadable (a remote server). */
export async function backendsCpuMs(pids: readonly number[]): Promise<number | null> {
  let total = 0;
  for (const pid of pids) {
    const ms = await processCpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}
