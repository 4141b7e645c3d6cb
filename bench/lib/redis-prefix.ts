/**
 * A Redis key prefix private to one benchmark run, and its cleanup. Suites pass the prefix to
 * their queues and caches; `dropPrefix` deletes every key under it (SCAN + UNLINK) over a bare
 * RESP connection, so the harness itself needs no Redis client library.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";

export function redisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

export function newRedisPrefix(suite: string): string {
  return `bench:${suite}:${randomBytes(4).toString("hex")}:`;
}

export type Reply = string | number | null | Reply[];

/** Minimal RESP2 connection: one command at a time. */
class Resp {
  private buf = Buffer.alloc(0);
  private waiting: ((r: Reply | Error) => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.drain();
    });
    socket.on("error", (e) => this.waiting?.(e));
  }

  static connect(url: string): Promise<Resp> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(u.port || 6379), u.hostname || "127.0.0.1", () => resolve(new Resp(s)));
      s.once("error", reject);
    });
  }

  async command(...args: string[]): Promise<Reply> {
    const wire = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
    const reply = new Promise<Reply | Error>((r) => (this.waiting = r));
    this.socket.write(wire);
    const r = await reply;
    if (r instanceof Error) throw r;
    return r;
  }

  close(): void {
    this.socket.end();
  }

  private drain(): void {
    if (!this.waiting) return;
    const parsed = parse(this.buf, 0);
    if (!parsed) return;
    this.buf = this.buf.subarray(parsed.end);
    const w = this.waiting;
    this.waiting = null;
    w(parsed.value);
  }
}

function parse(b: Buffer, at: number): { value: Reply | Error; end: number } | null {
  const eol = b.indexOf("\r\n", at);
  if (eol < 0) return null;
  const line = b.toString("utf8", at + 1, eol);
  const next = eol + 2;
  switch (b[at]) {
    case 0x2b: // +
      return { value: line, end: next };
    case 0x2d: // -
      return { value: new Error(line), end: next };
    case 0x3a: // :
      return { value: Number(line), end: next };
    case 0x24: { // $
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (b.length < next + len + 2) return null;
      return { value: b.toString("utf8", next, next + len), end: next + len + 2 };
    }
    case 0x2a: { // *
      const n = Number(line);
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parse(b, pos);
        if (!item) return null;
        if (item.value instanceof Error) return item;
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default:
      return { value: new Error(`unexpected RESP reply: ${line}`), end: next };
  }
}

/** Sends one command on a short-lived connection (for suites that need only a few). */
export async function redisCommand(url: string, ...args: string[]): Promise<Reply> {
  const conn = await Resp.connect(url);
  try {
    return await conn.command(...args);
  } finally {
    conn.close();
  }
}

/** Deletes every key starting with `prefix`; returns how many. A Redis that is not running has nothing to clean. */
export async function dropPrefix(prefix: string, url = redisUrl()): Promise<number> {
  let conn: Resp;
  try {
    conn = await Resp.connect(url);
  } catch {
    return 0;
  }
  try {
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = (await conn.command("SCAN", cursor, "MATCH", `${prefix}*`, "COUNT", "1000")) as [string, string[]];
      cursor = next;
      if (keys.length) deleted += (await conn.command("UNLINK", ...keys)) as number;
    } while (cursor !== "0");
    return deleted;
  } finally {
    conn.close();
  }
}
