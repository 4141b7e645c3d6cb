/**
 * Raw-row passes: the features of an aggregated source (transactions, app events, holdings,
 * month-end balances) computed in Node over the base relation's rows, streamed by binary COPY.
 *
 * Why: in the one-pass SQL (features-sql.ts `sourcePassSql`) PostgreSQL evaluates every
 * feature's FILTER clause for every row through its expression interpreter (text `IN` lists,
 * timestamp comparisons, numeric sums) and hashes a million groups: at 1M customers that was
 * 2–3× the cost of just reading the rows. Here PostgreSQL only scans and sends the rows; types,
 * channels and categories become small integer codes, each distinct filter is tested once per
 * row with integer comparisons, and the aggregates are typed arrays indexed by customer id.
 *
 * Same meaning as the SQL, value for value (the baseline and the tests compare them):
 * - money is numeric(18,2): decoded exactly into integer cents, summed exactly (|sum| < 2^53),
 *   and divided by 100 once, which rounds exactly like numeric → float8;
 * - timestamps are compared in whole milliseconds (exact: timestamptz(3), and window bounds are
 *   whole milliseconds); bank days are UTC+8 (Asia/Shanghai has had no DST since 1991);
 * - sums, max and min ignore NULLs; count(*) counts rows; a customer with no row in the pass
 *   gets no value (extractFeatures fills counts and sums with 0 afterwards, as before).
 * Anything outside that (more than two decimals, a sum beyond 2^53 cents, too many distinct
 * labels) marks the pass unsupported, and extractFeatures recomputes that source in SQL.
 */
import { BANK_TIME_ZONE, DAY_MS, epochDay, monthStart, type AsOf } from "./as-of";
import type { Column } from "./columns";
import type { FeatureSource, FeatureSpec } from "./feature-spec";
import { sourceBase } from "./features-sql";
import type { TupleHandler } from "./pg-binary";

/** Sources computed by raw-row passes (the others have one row per customer: no aggregation). */
export const RAW_SOURCES: ReadonlySet<FeatureSource> = new Set(["transaction", "app_event", "holding", "monthly_balance"]);

export interface RawPass {
  /** SELECT of the base relation's rows, customer_id first. */
  sql: string;
  onTuple: TupleHandler;
  /** Why the rows could not be aggregated exactly here (then the source goes through SQL). */
  unsupported(): string | null;
  /** One column per requested feature, in order. */
  finish(): Column[];
}

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/** Milliseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;
const BANK_OFFSET_MS = 8 * 3_600_000;
/** Asia/Shanghai is UTC+8 without DST from 1991-09-15 on (windows reach back at most 400 days). */
const FIXED_OFFSET_SINCE_MS = Date.UTC(1992, 0, 1);
const MAX_CODES = 4096;

class Unsupported extends Error {}

/** timestamptz (int8 microseconds since 2000) → whole milliseconds since 1970, floored, exactly. */
function tsMs(buf: Buffer, p: number): number {
  const hi = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
  const lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
  // µs = hi·2^32 + lo and 2^32 = 1000·4294967 + 296: no intermediate leaves the exact range.
  return hi * 4_294_967 + Math.floor((hi * 296 + lo) / 1000) + PG_EPOCH_MS;
}

/** date → days since 1970-01-01. */
const dateDays = (buf: Buffer, p: number): number => buf.readInt32BE(p) + PG_EPOCH_DAYS;

/** The bank's calendar day (days since 1970-01-01) of an instant. */
const bankDay = (ms: number): number => Math.floor((ms + BANK_OFFSET_MS) / DAY_MS);

/** Powers 10000^e · 100 (cents per base-10000 digit at weight e), exact in a double up to e = 3. */
const DIGIT_CENTS = [100, 1_000_000, 10_000_000_000, 100_000_000_000_000];

/** numeric (binary) → integer cents, exactly; throws Unsupported beyond two decimals or 2^53. */
function numericCents(buf: Buffer, p: number): number {
  // Bytes read directly (no bounds-checked readInt16BE): 46M calls at 1M customers.
  const ndigits = (buf[p]! << 8) | buf[p + 1]!;
  const weight = (((buf[p + 2]! << 24) >> 16) | buf[p + 3]!) as number;
  const sign = (buf[p + 4]! << 8) | buf[p + 5]!;
  if (sign !== 0 && sign !== 0x4000) throw new Unsupported("NaN or infinite amount");
  let v = 0;
  for (let i = 0, q = p + 8; i < ndigits; i++, q += 2) {
    const d = (buf[q]! << 8) | buf[q + 1]!;
    const e = weight - i;
    if (e >= 0) {
      if (e >= DIGIT_CENTS.length) throw new Unsupported("amount beyond exact cents");
      v += d * DIGIT_CENTS[e]!;
    } else if (e === -1 && d % 100 === 0) v += d / 100;
    else if (d !== 0) throw new Unsupported("more than two decimals");
  }
  if (v > MAX_EXACT) throw new Unsupported("amount beyond exact cents");
  return sign === 0 ? v : -v;
}

/** Small integer codes for the labels of a text or enum field, read without making strings. */
class LabelCodes {
  readonly labels: string[] = [];
  private readonly bytes: Buffer[] = [];
  /** First code by a key of length and three bytes; `next` chains codes sharing a key. */
  private readonly byKey = new Map<number, number>();
  private readonly next: number[] = [];

  constructor(private readonly onNew: (code: number, label: string) => void) {}

  code(buf: Buffer, p: number, len: number): number {
    const k = len === 0 ? 0 : len | (buf[p]! << 8) | (buf[p + (len >> 1)]! << 16) | (buf[p + len - 1]! << 24);
    let c = this.byKey.get(k);
    while (c !== undefined) {
      const b = this.bytes[c]!;
      let i = 0;
      if (b.length === len) while (i < len && b[i] === buf[p + i]) i++;
      if (i === len && b.length === len) return c;
      c = this.next[c]! >= 0 ? this.next[c] : undefined;
    }
    const code = this.labels.length;
    if (code >= MAX_CODES) throw new Unsupported("too many distinct labels");
    const label = buf.toString("utf8", p, p + len);
    this.labels.push(label);
    this.bytes.push(Buffer.from(buf.subarray(p, p + len)));
    this.next.push(this.byKey.get(k) ?? -1);
    this.byKey.set(k, code);
    this.onNew(code, label);
    return code;
  }
}

/** A set of labels as a lookup by code (filled in as codes appear); null = any label. */
class LabelSet {
  readonly ok = new Uint8Array(MAX_CODES);
  constructor(readonly members: ReadonlySet<string> | null) {}
  learn(code: number, label: string): void {
    this.ok[code] = this.members === null || this.members.has(label) ? 1 : 0;
  }
}

/** Per-customer accumulators, allocated only when some feature needs them. */
class Acc {
  count: Float64Array | null = null;
  /** 1 once a non-NULL value was seen (sums, max and min are NULL without any). */
  nn: Uint8Array | null = null;
  sum: Float64Array | null = null;
  max: Float64Array | null = null;
  min: Float64Array | null = null;
  constructor(readonly size: number) {}
  need(what: "count" | "sum" | "max" | "min"): void {
    if (what === "count") this.count ??= new Float64Array(this.size);
    else {
      this.nn ??= new Uint8Array(this.size);
      if (what === "sum") this.sum ??= new Float64Array(this.size);
      if (what === "max") this.max ??= new Float64Array(this.size).fill(-Infinity);
      if (what === "min") this.min ??= new Float64Array(this.size).fill(Infinity);
    }
  }
  /** Adds a row (value NaN = NULL). Returns false when a sum leaves the exact range. */
  add(id: number, v: number): boolean {
    if (this.count) this.count[id]!++;
    if (v !== v || !this.nn) return true;
    this.nn[id] = 1;
    if (this.max && v > this.max[id]!) this.max[id] = v;
    if (this.min && v < this.min[id]!) this.min[id] = v;
    if (this.sum) {
      const s = this.sum[id]! + v;
      this.sum[id] = s;
      if (s > MAX_EXACT || s < -MAX_EXACT) return false;
    }
    return true;
  }
}

const key = (...parts: unknown[]) => JSON.stringify(parts);

/** An output column: computed from `reads` (typed arrays of the accumulators) per customer seen. */
interface Output {
  reads: Float64Array[];
  value: (i: number) => number;
  type?: "num" | "date";
}

/**
 * Builds the columns, writing each into the first accumulator it reads when no later column
 * reads that one: fresh memory is much of what a pass costs (a 1M-customer array is 8 MB, and
 * first-touching pages is slow on a host whose memory is full of page cache).
 */
function outputs(seen: Uint8Array, list: Output[]): Column[] {
  const uses = new Map<Float64Array, number>();
  for (const o of list) for (const a of o.reads) uses.set(a, (uses.get(a) ?? 0) + 1);
  return list.map((o) => {
    for (const a of o.reads) uses.set(a, uses.get(a)! - 1);
    const first = o.reads[0];
    const d = first && uses.get(first) === 0 ? first : new Float64Array(seen.length);
    const value = o.value;
    for (let i = 0; i < d.length; i++) d[i] = seen[i] === 1 ? value(i) : NaN;
    return { type: o.type ?? "num", data: d };
  });
}

export function rawPass(source: FeatureSource, features: FeatureSpec[], at: AsOf, maxId: number, size: number, sampleEvery = 1): RawPass {
  if (!RAW_SOURCES.has(source)) throw new Error(`${source} is not aggregated from raw rows`);
  if (at.at.getTime() < FIXED_OFFSET_SINCE_MS + 400 * DAY_MS || BANK_TIME_ZONE !== "Asia/Shanghai") throw new Error("raw passes assume UTC+8 without DST");
  switch (source) {
    case "transaction":
      return transactionPass(features, at, maxId, size, sampleEvery);
    case "app_event":
      return eventPass(features, at, maxId, size, sampleEvery);
    case "holding":
      return holdingPass(features, at, maxId, size, sampleEvery);
    default:
      return balancePass(features, at, maxId, size, sampleEvery);
  }
}

/** The earliest window start of the features (they bound the base relation from below). */
function earliestSince(features: FeatureSpec[], at: AsOf): Date {
  let days = 0;
  for (const f of features) if ("days" in f && typeof f.days === "number") days = Math.max(days, f.days);
  return new Date(at.at.getTime() - days * DAY_MS);
}

/** Shared shape of the passes: decode a row, run it through the filters, record problems. */
function passOf(
  sql: string,
  size: number,
  row: (buf: Buffer, starts: Int32Array, lengths: Int32Array, id: number) => boolean,
  finish: (seen: Uint8Array) => Column[],
): RawPass {
  const seen = new Uint8Array(size);
  let problem: string | null = null;
  return {
    sql,
    onTuple(buf, starts, lengths) {
      if (problem !== null) return; // keep draining the stream; the source is redone in SQL
      const id = buf.readInt32BE(starts[0]!);
      if (id < 1 || id >= size) return;
      try {
        seen[id] = 1;
        if (!row(buf, starts, lengths, id)) problem = "a sum beyond exact cents";
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        problem = err.message;
      }
    },
    unsupported: () => problem,
    finish: () => finish(seen),
  };
}

// ── transactions: customer_id, txn_time, type, channel, amount ──────────────────────────────

interface TxnFilter {
  types: LabelSet;
  channels: LabelSet | null;
  since: number;
  minCents: number;
  acc: Acc;
  /** Latest matching txn_time (ms), for recency. */
  last: Float64Array | null;
}

/** Integer cents c such that amount >= m ⇔ cents >= c (m as the decimal SQL receives: String(m)). */
function minCentsOf(m: number): number {
  const [mant, exp = "0"] = String(m).split("e");
  const [int, frac = ""] = mant!.split(".");
  // m·100 = digits · 10^(e + 2 - frac.length), exactly, as a BigInt ratio.
  const digits = BigInt(`${int}${frac}`);
  const e = Number(exp) + 2 - frac.length;
  if (e >= 0) return Number(digits * 10n ** BigInt(e));
  const den = 10n ** BigInt(-e);
  return Number(digits / den + (digits % den === 0n ? 0n : 1n)); // ceiling (m ≥ 0)
}

function transactionPass(features: FeatureSpec[], at: AsOf, maxId: number, size: number, sampleEvery: number): RawPass {
  const atMs = at.at.getTime();
  const D = epochDay(at.date);
  const filters = new Map<string, TxnFilter>();
  const typeSets: LabelSet[] = [];
  const channelSets: LabelSet[] = [];
  const plans = features.map((f) => {
    if (f.kind !== "txnAgg" && f.kind !== "txnRecency") throw new Error(`feature ${f.kind} is not read from transactions`);
    const since = atMs - f.days * DAY_MS;
    const types = f.types ? [...f.types].sort() : null;
    const channels = f.kind === "txnAgg" && f.channels ? [...f.channels].sort() : null;
    const minCents = f.kind === "txnAgg" && f.minAmount !== undefined ? minCentsOf(f.minAmount) : -Infinity;
    const k = key(types, channels, since, minCents);
    let flt = filters.get(k);
    if (!flt) {
      flt = { types: new LabelSet(types && new Set(types)), channels: channels && new LabelSet(new Set(channels)), since, minCents, acc: new Acc(size), last: null };
      typeSets.push(flt.types);
      if (flt.channels) channelSets.push(flt.channels);
      filters.set(k, flt);
    }
    if (f.kind === "txnRecency") flt.last ??= new Float64Array(size).fill(-Infinity);
    else if (f.agg === "count") flt.acc.need("count");
    else if (f.agg === "sum") flt.acc.need("sum");
    else if (f.agg === "max") flt.acc.need("max");
    else {
      flt.acc.need("sum");
      flt.acc.need("count");
    }
    return { f, flt };
  });
  const list = [...filters.values()];
  const typeCodes = new LabelCodes((c, l) => typeSets.forEach((s) => s.learn(c, l)));
  const channelCodes = new LabelCodes((c, l) => channelSets.forEach((s) => s.learn(c, l)));
  const base = sourceBase("transaction", at, maxId, earliestSince(features, at), sampleEvery);
  const sql = `SELECT customer_id, txn_time, type, channel, amount FROM (${base}) b`;

  const finish = (seen: Uint8Array): Column[] =>
    outputs(
      seen,
      plans.map(({ f, flt }): Output => {
        const { count, nn, sum, max } = flt.acc;
        if (f.kind === "txnRecency") {
          const last = flt.last!;
          return { reads: [last], value: (i) => (last[i] === -Infinity ? NaN : D - bankDay(last[i]!)) };
        }
        switch (f.agg) {
          case "count":
            return { reads: [count!], value: (i) => count![i]! };
          case "sum":
            return { reads: [sum!], value: (i) => (nn![i] === 1 ? sum![i]! / 100 : NaN) };
          case "max":
            return { reads: [max!], value: (i) => (nn![i] === 1 ? max![i]! / 100 : NaN) };
          case "avg":
            return { reads: [sum!, count!], value: (i) => (nn![i] === 1 ? sum![i]! / 100 / count![i]! : NaN) };
        }
      }),
    );
  return passOf(sql, size, transactionRow(list, typeCodes, channelCodes), finish);
}

/**
 * The per-row function of a transaction pass, generated: one `if` per distinct filter with its
 * bounds as literals and its arrays as arguments (only numbers and generated names are written
 * into the source), so V8 sees straight-line monomorphic code — 10M rows a run.
 */
function transactionRow(list: TxnFilter[], typeCodes: LabelCodes, channelCodes: LabelCodes) {
  const g = new RowCode(["tsMs", "numericCents", "typeCodes", "channelCodes", "MAX"], [tsMs, numericCents, typeCodes, channelCodes, MAX_EXACT]);
  const arg = (v: unknown) => g.arg(v);
  const lit = (n: number) => g.lit(n);
  const body: string[] = [
    "const t = tsMs(buf, starts[1]);",
    "const type = typeCodes.code(buf, starts[2], lengths[2]);",
    "const channel = channelCodes.code(buf, starts[3], lengths[3]);",
    "const cents = lengths[4] < 0 ? NaN : numericCents(buf, starts[4]);",
    "const has = cents === cents;",
    "let exact = true;",
  ];
  for (const f of list) {
    const conds = [`${arg(f.types.ok)}[type] === 1`, `t >= ${lit(f.since)}`];
    if (f.channels) conds.push(`${arg(f.channels.ok)}[channel] === 1`);
    if (f.minCents !== -Infinity) conds.push(`cents >= ${lit(f.minCents)}`);
    const { count, nn, sum, max } = f.acc;
    const then: string[] = [];
    if (count) then.push(`${arg(count)}[id]++;`);
    if (nn) {
      const inner = [`${arg(nn)}[id] = 1;`];
      if (sum) {
        const s = arg(sum);
        inner.push(`const s = ${s}[id] + cents; ${s}[id] = s; if (s > MAX || s < -MAX) exact = false;`);
      }
      if (max) {
        const m = arg(max);
        inner.push(`if (cents > ${m}[id]) ${m}[id] = cents;`);
      }
      then.push(`if (has) { ${inner.join(" ")} }`);
    }
    if (f.last) {
      const l = arg(f.last);
      then.push(`if (t > ${l}[id]) ${l}[id] = t;`);
    }
    body.push(`if (${conds.join(" && ")}) { ${then.join(" ")} }`);
  }
  body.push("return exact;");
  return g.build("transactionRow", body);
}

// ── app events: customer_id, event_time, event_type ───────────────────────────────────────

function eventPass(features: FeatureSpec[], at: AsOf, maxId: number, size: number, sampleEvery: number): RawPass {
  const atMs = at.at.getTime();
  const D = epochDay(at.date);
  interface EventFilter {
    types: LabelSet;
    since: number;
    count: Float64Array | null;
    last: Float64Array | null;
  }
  const filters = new Map<string, EventFilter>();
  const plans = features.map((f) => {
    if (f.kind !== "eventCount" && f.kind !== "eventRecency") throw new Error(`feature ${f.kind} is not read from app events`);
    const types = f.types ? [...f.types].sort() : null;
    const since = atMs - f.days * DAY_MS;
    const k = key(types, since);
    let flt = filters.get(k);
    if (!flt) filters.set(k, (flt = { types: new LabelSet(types && new Set(types)), since, count: null, last: null }));
    if (f.kind === "eventCount") flt.count ??= new Float64Array(size);
    else flt.last ??= new Float64Array(size).fill(-Infinity);
    return { f, flt };
  });
  const list = [...filters.values()];
  const codes = new LabelCodes((c, l) => list.forEach((x) => x.types.learn(c, l)));
  const sql = `SELECT customer_id, event_time, event_type FROM (${sourceBase("app_event", at, maxId, earliestSince(features, at), sampleEvery)}) b`;
  const finish = (seen: Uint8Array): Column[] => {
    return outputs(
      seen,
      plans.map(({ f, flt }): Output => {
        const count = flt.count!;
        const last = flt.last!;
        return f.kind === "eventCount" ? { reads: [count], value: (i) => count[i]! } : { reads: [last], value: (i) => (last[i] === -Infinity ? NaN : D - bankDay(last[i]!)) };
      }),
    );
  };
  return passOf(sql, size, (buf, starts, lengths, id) => {
    const t = tsMs(buf, starts[1]!);
    const type = codes.code(buf, starts[2]!, lengths[2]!);
    for (let k = 0; k < list.length; k++) {
      const flt = list[k]!;
      if (flt.types.ok[type] !== 1 || t < flt.since) continue;
      if (flt.count !== null) flt.count[id]!++;
      if (flt.last !== null && t > flt.last[id]!) flt.last[id] = t;
    }
    return true;
  }, finish);
}

// ── holdings and open accounts: customer_id, category, amount, maturity_date, risk_level ──

function holdingPass(features: FeatureSpec[], at: AsOf, maxId: number, size: number, sampleEvery: number): RawPass {
  const D = epochDay(at.date);
  interface HoldingFilter {
    cats: LabelSet;
    count: Acc; // count(*) of the category
    amount: Acc;
    risk: Acc;
    /** maturing within N days: count per N. */
    maturing: Map<number, Float64Array>;
    nextMaturity: Float64Array | null;
  }
  const filters = new Map<string, HoldingFilter>();
  const plans = features.map((f) => {
    if (f.kind !== "holding") throw new Error(`feature ${f.kind} is not read from holdings`);
    const cats = [...f.categories].sort();
    const k = key(cats);
    let flt = filters.get(k);
    if (!flt) filters.set(k, (flt = { cats: new LabelSet(new Set(cats)), count: new Acc(size), amount: new Acc(size), risk: new Acc(size), maturing: new Map(), nextMaturity: null }));
    const days = f.days ?? 30;
    switch (f.measure) {
      case "count":
        flt.count.need("count");
        break;
      case "amount":
        flt.amount.need("sum");
        break;
      case "maxRisk":
        flt.risk.need("max");
        break;
      case "maturing":
        if (!flt.maturing.has(days)) flt.maturing.set(days, new Float64Array(size));
        break;
      case "nextMaturity":
        flt.nextMaturity ??= new Float64Array(size).fill(Infinity);
        break;
    }
    return { f, flt, days };
  });
  const list = [...filters.values()];
  const codes = new LabelCodes((c, l) => list.forEach((x) => x.cats.learn(c, l)));
  const sql = `SELECT customer_id, category, amount, maturity_date, risk_level FROM (${sourceBase("holding", at, maxId, undefined, sampleEvery)}) b`;
  const finish = (seen: Uint8Array): Column[] => {
    return outputs(
      seen,
      plans.map(({ f, flt, days }): Output => {
        const { count } = flt.count;
        const { nn: amountNn, sum } = flt.amount;
        const { nn: riskNn, max } = flt.risk;
        switch (f.measure) {
          case "count":
            return { reads: [count!], value: (i) => count![i]! };
          case "amount":
            return { reads: [sum!], value: (i) => (amountNn![i] === 1 ? sum![i]! / 100 : NaN) };
          case "maxRisk":
            return { reads: [max!], value: (i) => (riskNn![i] === 1 ? max![i]! : NaN) };
          case "maturing": {
            const n = flt.maturing.get(days)!;
            return { reads: [n], value: (i) => n[i]! };
          }
          case "nextMaturity": {
            const next = flt.nextMaturity!;
            return { reads: [next], value: (i) => (next[i] === Infinity ? NaN : next[i]!), type: "date" };
          }
        }
      }),
    );
  };
  return passOf(sql, size, (buf, starts, lengths, id) => {
    if (lengths[1]! < 0) return true; // no category: no feature reads the row
    const cat = codes.code(buf, starts[1]!, lengths[1]!);
    const cents = lengths[2]! < 0 ? NaN : numericCents(buf, starts[2]!);
    const maturity = lengths[3]! < 0 ? NaN : dateDays(buf, starts[3]!);
    const risk = lengths[4]! < 0 ? NaN : buf.readInt32BE(starts[4]!);
    let exact = true;
    for (let k = 0; k < list.length; k++) {
      const flt = list[k]!;
      if (flt.cats.ok[cat] !== 1) continue;
      flt.count.add(id, NaN);
      if (flt.amount.sum && !flt.amount.add(id, cents)) exact = false;
      if (flt.risk.max) flt.risk.add(id, risk);
      for (const [days, n] of flt.maturing) if (maturity >= D && maturity <= D + days) n[id]!++;
      if (flt.nextMaturity && maturity >= D && maturity < flt.nextMaturity[id]!) flt.nextMaturity[id] = maturity;
    }
    return exact;
  }, finish);
}

// ── month-end balances: customer_id, month, aum, deposit, wealth, loan ────────────────────────

const BALANCE_FIELDS = ["aum", "deposit", "wealth", "loan"] as const;

function balancePass(features: FeatureSpec[], at: AsOf, maxId: number, size: number, sampleEvery: number): RawPass {
  let months = 1;
  for (const f of features) {
    if (f.kind !== "balance") throw new Error(`feature ${f.kind} is not read from balances`);
    months = Math.max(months, f.months);
  }
  const since = monthStart(at.date, months - 1);
  const first = epochDay(since);
  const last = epochDay(at.date);
  // Months back from the business month, by day: 0 = the business month.
  const monthsBack = new Int16Array(last - first + 1);
  for (let k = 0; k < months; k++) {
    const from = epochDay(monthStart(at.date, k));
    const to = Math.min(epochDay(monthStart(at.date, k - 1)), last + 1);
    for (let d = Math.max(from, first); d < to; d++) monthsBack[d - first] = k;
  }
  interface Measure {
    /** Rows of the last N months (count(*)) and the values among them, per N. */
    windows: Map<number, Acc>;
    /** Latest: the newest month (within N) that has a value, and the largest value in it. */
    latest: Map<number, { month: Int8Array; value: Float64Array }>;
  }
  const measures = BALANCE_FIELDS.map((): Measure => ({ windows: new Map(), latest: new Map() }));
  const plans = features.map((f) => {
    if (f.kind !== "balance") throw new Error("unreachable");
    const m = measures[BALANCE_FIELDS.indexOf(f.measure)]!;
    if (f.stat === "latest") {
      if (!m.latest.has(f.months)) m.latest.set(f.months, { month: new Int8Array(size).fill(127), value: new Float64Array(size) });
    } else {
      let acc = m.windows.get(f.months);
      if (!acc) m.windows.set(f.months, (acc = new Acc(size)));
      if (f.stat === "avg") {
        acc.need("sum");
        acc.need("count");
      } else acc.need(f.stat);
    }
    return { f, m };
  });
  const used = measures.map((m, j) => ({ j, windows: [...m.windows], latest: [...m.latest] })).filter((m) => m.windows.length || m.latest.length);
  // A measure is sent only for the months its features read (a NULL, 4 bytes, elsewhere): deposits,
  // wealth and loans look back 1–3 of the 12 months read for AUM. The row function decodes the
  // same months (balanceRow's reach).
  const sent = BALANCE_FIELDS.map((field, j) => {
    const u = used.find((x) => x.j === j);
    if (!u) return "NULL::numeric";
    const reach = reachOf(u);
    return reach >= months ? field : `CASE WHEN month >= DATE '${monthStart(at.date, reach - 1)}' THEN ${field} END`;
  });
  const sql = `SELECT customer_id, month, ${sent.join(", ")} FROM (${sourceBase("monthly_balance", at, maxId, since, sampleEvery)}) b`;
  const finish = (seen: Uint8Array): Column[] => {
    return outputs(
      seen,
      plans.map(({ f, m }): Output => {
        if (f.kind !== "balance") throw new Error("unreachable");
        if (f.stat === "latest") {
          const { month, value } = m.latest.get(f.months)!;
          return { reads: [value], value: (i) => (month[i] === 127 ? NaN : value[i]! / 100) };
        }
        const { nn, sum, count, max, min } = m.windows.get(f.months)!;
        switch (f.stat) {
          case "avg":
            return { reads: [sum!, count!], value: (i) => (nn![i] === 1 ? sum![i]! / 100 / count![i]! : NaN) };
          case "max":
            return { reads: [max!], value: (i) => (nn![i] === 1 ? max![i]! / 100 : NaN) };
          case "min":
            return { reads: [min!], value: (i) => (nn![i] === 1 ? min![i]! / 100 : NaN) };
        }
      }),
    );
  };
  return passOf(sql, size, balanceRow(used, monthsBack, first, last), finish);
}

/** How many months back (from the business month) a measure's features read. */
const reachOf = (m: { windows: [number, unknown][]; latest: [number, unknown][] }): number => Math.max(...m.windows.map(([n]) => n), ...m.latest.map(([n]) => n));

/** The per-row function of a balance pass, generated like transactionRow. */
function balanceRow(used: { j: number; windows: [number, Acc][]; latest: [number, { month: Int8Array; value: Float64Array }][] }[], monthsBack: Int16Array, first: number, last: number) {
  const g = new RowCode(["numericCents", "MAX", "monthsBack"], [numericCents, MAX_EXACT, monthsBack]);
  const body: string[] = [
    `const day = buf.readInt32BE(starts[1]) + ${g.lit(PG_EPOCH_DAYS)};`,
    `if (day < ${g.lit(first)} || day > ${g.lit(last)}) return true;`,
    `const back = monthsBack[day - ${g.lit(first)}];`,
    "let exact = true;",
  ];
  for (const { j, windows, latest } of used) {
    const f = 2 + j;
    const inner: string[] = [`const v = lengths[${f}] < 0 ? NaN : numericCents(buf, starts[${f}]);`, "const has = v === v;"];
    for (const [n, acc] of windows) {
      const then: string[] = [];
      if (acc.count) then.push(`${g.arg(acc.count)}[id]++;`);
      const vals: string[] = [`${g.arg(acc.nn)}[id] = 1;`];
      if (acc.sum) {
        const a = g.arg(acc.sum);
        vals.push(`const s = ${a}[id] + v; ${a}[id] = s; if (s > MAX || s < -MAX) exact = false;`);
      }
      if (acc.max) vals.push(`if (v > ${g.arg(acc.max)}[id]) ${g.arg(acc.max)}[id] = v;`);
      if (acc.min) vals.push(`if (v < ${g.arg(acc.min)}[id]) ${g.arg(acc.min)}[id] = v;`);
      then.push(`if (has) { ${vals.join(" ")} }`);
      inner.push(`if (back < ${g.lit(n)}) { ${then.join(" ")} }`);
    }
    for (const [n, l] of latest) {
      const m = g.arg(l.month);
      const val = g.arg(l.value);
      inner.push(`if (has && back < ${g.lit(n)}) { const cur = ${m}[id]; if (back < cur) { ${m}[id] = back; ${val}[id] = v; } else if (back === cur && v > ${val}[id]) ${val}[id] = v; }`);
    }
    // A measure's value is decoded only for the months some feature of it reads (deposits,
    // wealth and loans look back 1–3 months of the 12 read for AUM: 3 of 4 decodes saved).
    const reach = reachOf({ windows, latest });
    body.push(`if (back < ${g.lit(reach)}) { ${inner.join("\n    ")} }`);
  }
  body.push("return exact;");
  return g.build("balanceRow", body);
}

/**
 * Generated per-row functions: straight-line code with bounds as numeric literals and arrays as
 * arguments. Only numbers and generated names are written into the source.
 */
class RowCode {
  constructor(
    private readonly names: string[],
    private readonly values: unknown[],
  ) {}
  arg(v: unknown): string {
    const at = this.values.indexOf(v);
    if (at >= 0) return this.names[at]!;
    this.names.push(`a${this.names.length}`);
    this.values.push(v);
    return this.names[this.names.length - 1]!;
  }
  lit(n: number): string {
    if (!Number.isFinite(n)) throw new Error("non-finite bound");
    return `(${String(n)})`;
  }
  build(name: string, body: string[]) {
    const src = `return function ${name}(buf, starts, lengths, id) {\n  ${body.join("\n  ")}\n};`;
    return new Function(...this.names, src)(...this.values) as (buf: Buffer, starts: Int32Array, lengths: Int32Array, id: number) => boolean;
  }
}
