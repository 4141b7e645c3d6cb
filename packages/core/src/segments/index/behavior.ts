/**
 * Behaviour conditions ("did X at least N times in the last D days") from compact per-customer
 * aggregates: for each event type (transactions by type, app events by event type) every
 * customer's list of (business day, count) over the last ~400 days, newest first, in flat typed
 * arrays (CSR). "At least N in the last D days" ⟺ the day of the customer's N-th most recent
 * event (up to today) is ≥ today − (D − 1). That day per customer is computed once per (type, N,
 * today) into a DayIndex and cached (N = 1…5 at build, others on first use), so a standard
 * window (7/30/90/180/365 days) is one prepared bitmap and any other D ≤ 365 a union of a few —
 * exact at the day boundary.
 */
import { copyOut } from "@mkt/db/tags/pg-binary";
import type { PgClient } from "@mkt/db/tags/storage";
import { RoaringBitmap32 } from "../bitmap";
import { TXN_TYPES } from "../rule";
import { bankDayStart, windowStartDay, BANK_OFFSET_MS } from "./days";
import { DayIndex } from "./day-index";
import { IdList, type Made } from "./range";

/** Days of history loaded: the longest window (365) plus slack for a reference time a little back. */
export const HISTORY_DAYS = 400;

interface EventLists {
  /** Customers with events, ascending. */
  customers: Uint32Array;
  /** offsets[k]..offsets[k+1] are customers[k]'s entries. */
  offsets: Uint32Array;
  /** Business days, newest first within a customer. */
  days: Int32Array;
  counts: Uint32Array;
}

class Growable {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function toLists(cust: Growable, day: Growable, cnt: Growable, maxId: number): EventLists {
  const m = cust.length;
  const per = new Uint32Array(maxId + 2);
  for (let i = 0; i < m; i++) per[cust.data[i]! + 1]!++;
  let distinct = 0;
  for (let id = 1; id <= maxId + 1; id++) if (per[id]) distinct++;
  const customers = new Uint32Array(distinct);
  const offsets = new Uint32Array(distinct + 1);
  const start = new Uint32Array(maxId + 2);
  let pos = 0;
  let k = 0;
  for (let id = 0; id <= maxId; id++) {
    const c = per[id + 1]!;
    start[id] = pos;
    if (c) {
      customers[k] = id;
      offsets[k++] = pos;
      pos += c;
    }
  }
  offsets[distinct] = pos;
  const days = new Int32Array(m);
  const counts = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    const id = cust.data[i]!;
    const p = start[id]!++;
    days[p] = day.data[i]!;
    counts[p] = cnt.data[i]!;
  }
  // Newest first within each customer (lists are short: insertion sort).
  for (let c = 0; c < distinct; c++) {
    for (let i = offsets[c]! + 1; i < offsets[c + 1]!; i++) {
      const d = days[i]!;
      const n = counts[i]!;
      let j = i - 1;
      while (j >= offsets[c]! && days[j]! < d) {
        days[j + 1] = days[j]!;
        counts[j + 1] = counts[j]!;
        j--;
      }
      days[j + 1] = d;
      counts[j + 1] = n;
    }
  }
  return { customers, offsets, days, counts };
}

const CACHE_MAX = 160;
/** "At least N" for these N is prepared when the index is built; others on first use. */
export const PREPARED_AT_LEAST = [1, 2, 3, 4, 5];

export class BehaviorIndex {
  private readonly cache = new Map<string, DayIndex>();

  private constructor(
    private readonly lists: Map<string, EventLists>,
    private readonly firstDay: number,
  ) {}

  /** Loads the day-bucketed counts of transactions and app events since `today − HISTORY_DAYS`. */
  static async load(client: PgClient, today: number, maxId: number): Promise<BehaviorIndex> {
    const firstDay = today - HISTORY_DAYS;
    const since = bankDayStart(firstDay).toISOString();
    const { rows } = await client.query<{ event_type: string }>(`SELECT DISTINCT event_type FROM app_event WHERE event_time >= '${since}'`);
    const appTypes = rows.map((r) => r.event_type).filter((t) => /^[A-Za-z][\w.-]{0,63}$/.test(t));
    const keys = [...TXN_TYPES.map((t) => `txn:${t}`), ...appTypes.map((t) => `app:${t}`)];
    const cols = keys.map(() => ({ cust: new Growable(1 << 16), day: new Growable(1 << 16), cnt: new Growable(1 << 16) }));
    const dayExpr = (col: string) => `floor((extract(epoch FROM ${col}) * 1000 + ${BANK_OFFSET_MS}) / 86400000)::int`;
    const lit = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]::text[]`;
    // One row per event, not grouped: customers rarely have two events of a type on one day, so a
    // GROUP BY would hash ~all rows (spilling at 1M customers) to save almost nothing. Entries of
    // the same day simply sit next to each other in a customer's list; the N-th-event day sums
    // counts newest first either way.
    const sqls = [
      `SELECT array_position(${lit(TXN_TYPES)}, type::text) - 1, customer_id, ${dayExpr("txn_time")}, 1
         FROM transaction WHERE txn_time >= '${since}'`,
      ...(appTypes.length
        ? [
            `SELECT ${TXN_TYPES.length} + array_position(${lit(appTypes)}, event_type) - 1, customer_id, ${dayExpr("event_time")}, 1
               FROM app_event WHERE event_time >= '${since}' AND event_type = ANY(${lit(appTypes)})`,
          ]
        : []),
    ];
    for (const sql of sqls) {
      await copyOut(client, `SELECT * FROM (${sql}) x`, (buf, starts) => {
        const k = buf.readInt32BE(starts[0]!);
        const id = buf.readInt32BE(starts[1]!);
        if (id > maxId) return;
        const c = cols[k]!;
        c.cust.push(id);
        c.day.push(buf.readInt32BE(starts[2]!));
        c.cnt.push(buf.readInt32BE(starts[3]!));
      });
    }
    const lists = new Map<string, EventLists>();
    keys.forEach((key, k) => lists.set(key, toLists(cols[k]!.cust, cols[k]!.day, cols[k]!.cnt, maxId)));
    const index = new BehaviorIndex(lists, firstDay);
    index.prepare(today);
    return index;
  }

  /** Prepares the day indexes of every event type for the common "at least N" (build time). */
  prepare(today: number): void {
    for (const key of this.lists.keys()) {
      const [source, type] = key.split(":") as ["txn" | "app", string];
      for (const n of PREPARED_AT_LEAST) this.didAtLeast(source, type, n, 1, today);
    }
  }

  /** Builds an index from already aggregated lists (the 10M benchmark synthesizes them). */
  static fromLists(lists: Map<string, EventLists>, firstDay: number): BehaviorIndex {
    return new BehaviorIndex(lists, firstDay);
  }

  /** Customers with at least `atLeast` events of `source:eventType` in the `lastDays` days ending `today`. */
  didAtLeast(source: "txn" | "app", eventType: string, atLeast: number, lastDays: number, today: number): Made {
    const key = `${source}:${eventType}`;
    const lists = this.lists.get(key);
    if (!lists) return { b: new RoaringBitmap32(), own: true };
    const cacheKey = `${key}|${atLeast}|${today}`;
    let idx = this.cache.get(cacheKey);
    if (idx) {
      this.cache.delete(cacheKey); // LRU: move to the end
    } else {
      idx = this.nthDayIndex(lists, atLeast, today);
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(cacheKey, idx);
    return idx.between(windowStartDay(today, lastDays), today);
  }

  private nthDayIndex(l: EventLists, n: number, today: number): DayIndex {
    const ids = new IdList(l.customers.length + 1);
    const day = new Int32Array(l.customers.length);
    for (let c = 0; c < l.customers.length; c++) {
      let sum = 0;
      for (let i = l.offsets[c]!; i < l.offsets[c + 1]!; i++) {
        const d = l.days[i]!;
        if (d > today) continue;
        sum += l.counts[i]!;
        if (sum >= n) {
          day[ids.length] = d;
          ids.push(l.customers[c]!);
          break;
        }
      }
    }
    return DayIndex.build(this.firstDay, today, ids.view(), day);
  }

  /** Approximate bytes held by the lists. */
  sizeInBytes(): number {
    let s = 0;
    for (const l of this.lists.values()) s += l.customers.byteLength + l.offsets.byteLength + l.days.byteLength + l.counts.byteLength;
    for (const d of this.cache.values()) s += d.sizeInBytes();
    return s;
  }
}

export type { EventLists };
