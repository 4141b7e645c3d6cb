/**
 * CPU time, for splitting a measured step's cost between this process and the database server
 * on the same box (the benchmark contract runs both here). On a shared, noisy machine the wall
 * time moves with the neighbours; the CPU each side spent per row is the code's own cost.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ = 100 on Linux

/**
 * CPU milliseconds (user + system) spent so far by every process named `postgres` on this
 * machine — its backends and background workers — or null where /proc cannot tell.
 */
export function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  let ticks = 0;
  let seen = false;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const open = stat.indexOf("(");
    const close = stat.lastIndexOf(")");
    if (stat.slice(open + 1, close) !== "postgres") continue;
    // fields after the command: state is field 3, utime and stime are fields 14 and 15
    const fields = stat.slice(close + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
    seen = true;
  }
  return seen ? ticks * TICK_MS : null;
}

/** This process's CPU milliseconds (user + system, all threads) since `from`. */
export function processCpuMs(from?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return Math.round((u.user + u.system) / 1000);
}
