/**
 * The process-wide resident index and how it stays current.
 *
 * - Built at boot (`warmUp()` from the web app's instrumentation hook, without waiting) in the
 *   process that answers counts — the Next.js server, behind the tRPC `segment` router — or else
 *   at the first use; `status()` tells the health report whether it is ready.
 * - Rebuilt in the background when the current tag run or the customer base changes (checked at
 *   most every `checkIntervalMs` on use); the old index answers until the new one is swapped in.
 * - Real-time tag values follow the "tag changed" stream `<prefix>:tags:changes` (XREAD on a
 *   dedicated connection) and are applied to the live index as they arrive. While a new index is
 *   being built the entries read are recorded and replayed into it before the swap; the build
 *   starts recording before it reads the database, so no change falls between the two (a value
 *   in both is applied twice, which is harmless: the later expiry wins).
 */
import type { Db } from "@mkt/db";
import { SegmentIndex } from "./segment-index";

/** The part of an ioredis client the stream reader uses (a dedicated connection: XREAD blocks). */
export interface StreamRedis {
  xread(...args: (string | number)[]): Promise<[string, [string, string[]][]][] | null>;
  xrevrange(key: string, end: string, start: string, count: "COUNT", n: number): Promise<[string, string[]][]>;
  disconnect(): void;
}

export interface SegmentIndexStatus {
  state: "idle" | "building" | "ready" | "failed";
  rebuilding: boolean;
  builtAt?: string;
  buildMs?: number;
  customers?: number;
}

export interface ResidentConfig {
  databaseUrl: string;
  /** Follow real-time tag changes: a dedicated Redis connection and the deployment prefix. */
  stream?: { connect: () => StreamRedis; prefix: string };
  /** The clock behaviour history is loaded against (the last ~400 days); default: now. */
  clock?: () => Date;
  /** How often (at most) a use checks whether the run or the customers changed; default 5 s. */
  checkIntervalMs?: number;
}

/** Same key as @mkt/jobs `tagChangesStream` (core cannot import jobs: jobs depends on core). */
export const tagChangesStreamKey = (prefix: string) => `${prefix}:tags:changes`;

interface Change {
  idMs: number;
  tag: string;
  customerId: number;
  value: number;
  expiresAt: number;
}

function parseEntry(id: string, fields: string[]): Change | null {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  const customerId = Number(f.customerId);
  const value = Number(f.value);
  const expiresAt = Date.parse(f.expiresAt ?? "");
  if (!f.tag || !Number.isInteger(customerId) || !Number.isFinite(value) || Number.isNaN(expiresAt)) return null;
  return { idMs: Number(id.split("-")[0]), tag: f.tag, customerId, value, expiresAt };
}

export class ResidentSegmentIndex {
  private current: SegmentIndex | null = null;
  private building: Promise<SegmentIndex> | null = null;
  private recording: Change[] | null = null;
  private lastCheck = 0;
  private streamCursor = "$";
  private reader: StreamRedis | null = null;
  private closed = false;
  /** Entries applied from the stream (for tests and the events benchmark). */
  applied = 0;
  lastError: unknown = null;

  constructor(
    private readonly db: Db,
    readonly config: ResidentConfig,
  ) {}

  /** The current index, building it on first use; a stale index triggers a background rebuild. */
  async get(): Promise<SegmentIndex> {
    if (!this.current) return this.rebuild();
    const every = this.config.checkIntervalMs ?? 5000;
    if (!this.building && Date.now() - this.lastCheck >= every) {
      this.lastCheck = Date.now();
      void this.checkStale().catch((e: unknown) => (this.lastError = e));
    }
    return this.current;
  }

  /** Starts building (and following the stream) without waiting. */
  warmUp(): void {
    void this.get().catch((e: unknown) => (this.lastError = e));
  }

  /**
   * For the health report: `ready` once an index answers (a rebuild in the background keeps it
   * ready), `building` before the first one, `failed` when the first build failed (the next use
   * tries again), `idle` when nothing asked for it yet. No error text.
   */
  status(): SegmentIndexStatus {
    const cur = this.current;
    if (cur) return { state: "ready", rebuilding: this.building !== null, builtAt: new Date(cur.builtAt).toISOString(), buildMs: cur.stats.ms, customers: cur.stats.customers };
    if (this.building) return { state: "building", rebuilding: false };
    return { state: this.lastError ? "failed" : "idle", rebuilding: false };
  }

  /** Builds a new index now and swaps it in (concurrent callers share one build). */
  rebuild(): Promise<SegmentIndex> {
    if (this.building) return this.building;
    this.building = (async () => {
      await this.startStream();
      this.recording = [];
      try {
        const next = await SegmentIndex.build(this.db, this.config.databaseUrl, this.config.clock?.() ?? new Date()).catch((e: unknown) => {
          this.lastError = e;
          throw e;
        });
        for (const c of this.recording) this.applyTo(next, c);
        this.current = next;
        this.lastError = null;
        this.lastCheck = Date.now();
        return next;
      } finally {
        this.recording = null;
        this.building = null;
      }
    })();
    return this.building;
  }

  private async checkStale(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    const rows = await this.db.$queryRaw<{ run_id: number | null; max_id: number | null }[]>`
      SELECT (SELECT run_id FROM tag_current_run WHERE id = 1) AS run_id, (SELECT max(id) FROM customer) AS max_id`;
    const { run_id, max_id } = rows[0] ?? { run_id: null, max_id: null };
    if ((run_id ?? null) !== cur.runId || (max_id ?? 0) !== cur.maxCustomerId) await this.rebuild();
  }

  private applyTo(index: SegmentIndex, c: Change): void {
    if (c.idMs <= index.parts.runAsOf) return; // not newer than the run: the view ignores it too
    index.setRealtime(c.tag, c.customerId, c.value, c.expiresAt);
  }

  /** Starts following the stream from its current end (before the first build reads anything). */
  private async startStream(): Promise<void> {
    const s = this.config.stream;
    if (!s || this.reader || this.closed) return;
    const reader = s.connect();
    const key = tagChangesStreamKey(s.prefix);
    try {
      const last = await reader.xrevrange(key, "+", "-", "COUNT", 1);
      this.streamCursor = last[0]?.[0] ?? "0-0";
    } catch (e) {
      // Redis unavailable: counts still work, real-time values arrive with the next rebuild.
      this.lastError = e;
      reader.disconnect();
      return;
    }
    this.reader = reader;
    void (async () => {
      while (!this.closed) {
        try {
          const res = await reader.xread("COUNT", 1000, "BLOCK", 1000, "STREAMS", key, this.streamCursor);
          for (const [, entries] of res ?? []) {
            for (const [id, fields] of entries) {
              this.streamCursor = id;
              const c = parseEntry(id, fields);
              if (!c) continue;
              this.recording?.push(c);
              if (this.current) this.applyTo(this.current, c);
              this.applied++;
            }
          }
        } catch (e) {
          if (this.closed) break;
          this.lastError = e;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  /** Stops following the stream. */
  close(): void {
    this.closed = true;
    this.reader?.disconnect();
    this.reader = null;
  }
}
