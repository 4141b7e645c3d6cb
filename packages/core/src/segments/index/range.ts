/**
 * Range queries over a numeric column (NUMBER and DATE tags, holding sums): sorted-bucket
 * bitmaps. Customers with a value are split into up to 256 buckets by value (boundaries at the
 * quantiles of a sample, so buckets hold similar numbers of customers; a frequent value gets a
 * bucket of its own), and prefix bitmaps hold the customers of buckets [0, m·B) for 32 steps m.
 * The buckets inside a range are contiguous: their middle is one andNot of two prefixes (or one
 * prefix, or its complement within `has`), the rest at most 2·(B − 1) buckets, plus the customers
 * of at most two edge buckets filtered by value. Each bucket keeps its customers' values in id
 * order next to its bitmap, so an edge is filtered by one sequential pass (no random reads of a
 * column). Memory: ~2 bytes per customer for the buckets, 8 for the values, ≤ 32 prefixes.
 */
import { RoaringBitmap32 } from "../bitmap";

const PREFIXES = 32;

/** A growable list of customer ids (ascending when pushed in order). */
export class IdList {
  private buf: Uint32Array;
  length = 0;
  constructor(capacity = 16) {
    this.buf = new Uint32Array(Math.max(4, Math.ceil(capacity)));
  }
  push(id: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = id;
  }
  view(): Uint32Array {
    return this.buf.subarray(0, this.length);
  }
  toBitmap(): RoaringBitmap32 {
    return sortedToBitmap(this.view());
  }
}

/** A compact bitmap of ascending ids (run-optimised, no spare capacity). */
export function sortedToBitmap(ids: ArrayLike<number>): RoaringBitmap32 {
  const b = new RoaringBitmap32();
  b.addMany(ids);
  b.runOptimize();
  b.shrinkToFit();
  return b;
}

export interface Range {
  lo: number;
  loIncl: boolean;
  hi: number;
  hiIncl: boolean;
}

export function inRange(v: number, r: Range): boolean {
  return (r.loIncl ? v >= r.lo : v > r.lo) && (r.hiIncl ? v <= r.hi : v < r.hi);
}

/** A bitmap and whether it was made for this answer (`own`: the caller may modify or free it). */
export interface Made {
  b: RoaringBitmap32;
  own: boolean;
}

const EMPTY_IDS = new Uint32Array(0);

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
/** The smallest double greater than x (finite x). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

export class RangeIndex {
  private constructor(
    private readonly buckets: RoaringBitmap32[],
    /** Values of each bucket's customers, in ascending id order (as the bitmap iterates). */
    private readonly bucketValues: Float64Array[],
    private readonly mins: Float64Array,
    private readonly maxs: Float64Array,
    /** prefixes[m] = buckets [0, m·step). */
    private readonly prefixes: RoaringBitmap32[],
    private readonly step: number,
    /** Customers with a value. */
    readonly has: RoaringBitmap32,
  ) {}

  /** From a column by customer id (NaN = no value). */
  static build(values: ArrayLike<number>, maxBuckets = 256): RangeIndex {
    let present = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present++;
    const ids = new Uint32Array(present);
    const vals = new Float64Array(present);
    for (let i = 0, k = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      ids[k] = i;
      vals[k++] = v;
    }
    return RangeIndex.fromPairs(ids, vals, maxBuckets);
  }

  /** From customers (ascending) and their values (NaN = no value). */
  static fromPairs(ids: ArrayLike<number>, values: ArrayLike<number>, maxBuckets = 256): RangeIndex {
    const n = ids.length;
    let present = 0;
    for (let i = 0; i < n; i++) if (values[i] === values[i]) present++;
    // Bucket boundaries from a sample of at most 64k values.
    const stride = Math.max(1, Math.floor(present / 65_536));
    const sample: number[] = [];
    for (let i = 0, k = 0; i < n; i++) {
      const v = values[i]!;
      if (v === v && k++ % stride === 0) sample.push(v);
    }
    const sorted = Float64Array.from(sample).sort();
    const want = Math.max(1, Math.min(maxBuckets, Math.ceil(present / 1024)));
    // Bucket j (j ≥ 1) starts at cuts[j - 1]. A value that fills several quantiles (a frequent
    // value such as 0) gets a bucket of its own: a cut at it and one at the next double above it
    // (not the next value of the sample: values between would share its bucket, and a query on
    // the frequent value would then filter its customers one by one).
    const cutSet = new Set<number>();
    let last = NaN;
    for (let j = 1; j < want; j++) {
      const b = sorted[Math.floor((j * sorted.length) / want)]!;
      if (b === last) cutSet.add(nextUp(b));
      cutSet.add(b);
      last = b;
    }
    const cuts = Float64Array.from(cutSet).sort();
    const count = cuts.length + 1;
    // Bucket of every value (upper bound: the number of cuts ≤ v), then a counting sort that keeps
    // id order within each bucket.
    const bucketOf = new Uint16Array(n);
    const sizes = new Uint32Array(count);
    const mins = new Float64Array(count).fill(Infinity);
    const maxs = new Float64Array(count).fill(-Infinity);
    const hasIds = new Uint32Array(present);
    for (let i = 0, h = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cuts[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      bucketOf[i] = lo;
      sizes[lo]!++;
      if (v < mins[lo]!) mins[lo] = v;
      if (v > maxs[lo]!) maxs[lo] = v;
      hasIds[h++] = ids[i]!;
    }
    const bucketIds = Array.from(sizes, (s) => (s ? new Uint32Array(s) : EMPTY_IDS));
    const bucketValues = Array.from(sizes, (s) => new Float64Array(s));
    const fill = new Uint32Array(count);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      const j = bucketOf[i]!;
      const k = fill[j]!++;
      bucketIds[j]![k] = ids[i]!;
      bucketValues[j]![k] = v;
    }
    const buckets = bucketIds.map((l) => sortedToBitmap(l));
    const step = Math.max(1, Math.ceil(count / PREFIXES));
    const prefixes: RoaringBitmap32[] = [new RoaringBitmap32()];
    for (let m = 1; m * step <= count; m++) {
      const p = RoaringBitmap32.orMany([prefixes[m - 1]!, ...buckets.slice((m - 1) * step, m * step)]);
      p.runOptimize();
      p.shrinkToFit();
      prefixes.push(p);
    }
    return new RangeIndex(buckets, bucketValues, mins, maxs, prefixes, step, sortedToBitmap(hasIds));
  }

  /** The value of a customer (NaN: none) — for samples, not for queries. */
  valueOf(id: number): number {
    for (let j = 0; j < this.buckets.length; j++) {
      const b = this.buckets[j]!;
      if (b.has(id)) return this.bucketValues[j]![b.rank(id) - 1]!;
    }
    return NaN;
  }

  /** Customers whose value lies in the range (`own`: made for this call). */
  range(r: Range): Made {
    const parts: RoaringBitmap32[] = [];
    const made: RoaringBitmap32[] = [];
    const count = this.buckets.length;
    const full = new Uint8Array(count);
    for (let j = 0; j < count; j++) {
      const min = this.mins[j]!;
      const max = this.maxs[j]!;
      if (min > max) continue; // empty bucket
      if (inRange(min, r) && inRange(max, r)) full[j] = 1;
      else if (max < r.lo || min > r.hi || (max === r.lo && !r.loIncl) || (min === r.hi && !r.hiIncl)) continue;
      else {
        const f = this.filter(j, r);
        if (f) {
          parts.push(f);
          made.push(f);
        }
      }
    }
    // Full buckets form one run [a, b) (buckets are ordered by value; empty ones may sit in it).
    let a = 0;
    while (a < count && !full[a]) a++;
    let b = count;
    while (b > a && !full[b - 1]) b--;
    for (let j = a; j < b; j++) if (!full[j] && this.mins[j]! <= this.maxs[j]!) throw new Error("range index: full buckets not contiguous");
    const a2 = Math.ceil(a / this.step) * this.step;
    const b2 = Math.floor(b / this.step) * this.step;
    if (a2 < b2 && b - a >= 2 * this.step) {
      let mid: RoaringBitmap32;
      if (a2 === 0) mid = this.prefixes[b2 / this.step]!;
      else if (b === count && b2 + this.step > count) {
        // Up to the last bucket: `has` minus a prefix, whatever the step leaves at the top.
        mid = RoaringBitmap32.andNot(this.has, this.prefixes[a2 / this.step]!);
        made.push(mid);
        parts.push(mid);
        for (let j = a; j < a2; j++) parts.push(this.buckets[j]!);
        return this.union(parts, made);
      } else {
        mid = RoaringBitmap32.andNot(this.prefixes[b2 / this.step]!, this.prefixes[a2 / this.step]!);
        made.push(mid);
      }
      parts.push(mid);
      for (let j = a; j < a2; j++) parts.push(this.buckets[j]!);
      for (let j = b2; j < b; j++) parts.push(this.buckets[j]!);
    } else for (let j = a; j < b; j++) parts.push(this.buckets[j]!);
    return this.union(parts, made);
  }

  /**
   * The range as a conjunction — `pos` minus every `neg` — when it spans a prefix step: the prefix
   * (or `has`) above it minus the prefix below it, minus the buckets of those steps outside the
   * range and the customers of the edge buckets whose value is outside. Every `neg` but the
   * lower prefix is small, so an AND above folds the range into its running intersection without
   * a dense bitmap of its own. Null when the range is narrow (then `range()` is a small union).
   */
  rangeTerm(r: Range): { pos: RoaringBitmap32; neg: RoaringBitmap32[]; made: RoaringBitmap32[] } | null {
    const count = this.buckets.length;
    let a = count; // first bucket touching the range
    let b = 0; // one past the last
    const partial = new Uint8Array(count);
    for (let j = 0; j < count; j++) {
      const min = this.mins[j]!;
      const max = this.maxs[j]!;
      if (min > max) continue;
      if (inRange(min, r) && inRange(max, r)) {
        /* full */
      } else if (max < r.lo || min > r.hi || (max === r.lo && !r.loIncl) || (min === r.hi && !r.hiIncl)) continue;
      else partial[j] = 1;
      if (j < a) a = j;
      b = j + 1;
    }
    if (a >= b || b - a < 2 * this.step) return null;
    const A = Math.floor(a / this.step) * this.step;
    const B = Math.ceil(b / this.step) * this.step;
    const pos = B >= count ? this.has : this.prefixes[B / this.step]!;
    const neg: RoaringBitmap32[] = [];
    const made: RoaringBitmap32[] = [];
    if (A > 0) neg.push(this.prefixes[A / this.step]!);
    for (let j = A; j < Math.min(B, count); j++) {
      if (j < a || j >= b) {
        if (this.mins[j]! <= this.maxs[j]!) neg.push(this.buckets[j]!);
      } else if (partial[j]) {
        const out = this.filter(j, r, false);
        if (out) {
          neg.push(out);
          made.push(out);
        }
      }
    }
    return { pos, neg, made };
  }

  private union(all: RoaringBitmap32[], made: RoaringBitmap32[]): Made {
    const parts = all.filter((p) => !p.isEmpty);
    if (parts.length === 0) return { b: new RoaringBitmap32(), own: true };
    if (parts.length === 1) return { b: parts[0]!, own: made.includes(parts[0]!) };
    // The largest part made here absorbs the others in place (no extra copy).
    let host: RoaringBitmap32 | null = null;
    for (const m of made) if (!host || m.size > host.size) host = m;
    if (host) {
      for (const p of parts) if (p !== host) host.orInPlace(p);
      for (const m of made) if (m !== host) m.clear();
      return { b: host, own: true };
    }
    return { b: RoaringBitmap32.orMany(parts), own: true };
  }

  /** Customers of bucket j within the range (`inside` false: outside it), or null for none. */
  private filter(j: number, r: Range, inside = true): RoaringBitmap32 | null {
    const ids = this.buckets[j]!.toUint32Array();
    const vals = this.bucketValues[j]!;
    let k = 0;
    for (let i = 0; i < ids.length; i++) if (inRange(vals[i]!, r) === inside) ids[k++] = ids[i]!;
    if (k === 0) return null;
    const b = new RoaringBitmap32();
    b.addMany(ids.subarray(0, k));
    return b;
  }

  /** Bytes held by the bitmaps and the bucket values. */
  sizeInBytes(): number {
    let s = 0;
    for (const b of [...this.buckets, ...this.prefixes, this.has]) s += b.getSerializationSizeInBytes("croaring");
    for (const v of this.bucketValues) s += v.byteLength;
    return s;
  }
}
