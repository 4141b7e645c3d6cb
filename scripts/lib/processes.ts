/** Child processes of the start command: output prefixed per process, stopped in order. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createInterface } from "node:readline";

const colors = [36, 35, 33, 32, 34];
const tty = process.stdout.isTTY;
let nextColor = 0;

export function label(name: string): string {
  const color = colors[nextColor++ % colors.length];
  const padded = `[${name}]`.padEnd(9);
  return tty ? `\x1b[${color}m${padded}\x1b[0m` : padded;
}

export function say(message: string): void {
  console.log(tty ? `\x1b[1m▸ ${message}\x1b[0m` : `▸ ${message}`);
}

/** Spawns a process whose stdout and stderr lines are printed with a prefix. */
export function spawnPrefixed(name: string, cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const prefix = label(name);
  const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => console.log(`${prefix} ${line}`));
  }
  return child;
}

/** Runs a command to completion (prefixed output); rejects when it fails. */
export function runPrefixed(name: string, cmd: string, args: string[], opts: SpawnOptions = {}, track?: Set<ChildProcess>): Promise<void> {
  const child = spawnPrefixed(name, cmd, args, opts);
  track?.add(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      track?.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${[cmd, ...args].join(" ")} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still running. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
