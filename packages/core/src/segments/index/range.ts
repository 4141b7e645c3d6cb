/**
 * Range queries over a numeric column (NUMBER and DATE tags): sorted-bucket bitmaps. Customers
 * with a value are split into up to 256 buckets by value (boundaries at the quantiles of a
 * sample, so buckets hold similar numbers of customers; a frequent value gets a bucket of its
 * own), and prefix bitmaps hold the customers of buckets [0, m·B) for 32 steps m. The buckets
 * inside a range are contiguous: their middle is one andNot of two prefixes, the rest at most
 * 2·(B − 1) buckets, plus the customers of at most two edge buckets filtered by their value
 * from the column itself. Memory: ~2 bytes per customer for the buckets, ≤ 32 dense prefixes
 * (n/8 bytes each), plus the column (8 bytes per customer, kept for the edges).
 */
import { RoaringBitmap32 } from "../bitmap";

const PREFIXES = 32;

/** A growable list of customer ids (ascending when pushed in order). */
export class IdList {
  private buf: Uint32Array;
  length = 0;
  constructor(capacity = 16) {
    this.buf = new Uint32Array(Math.max(4, capacity));
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
    const b = new RoaringBitmap32();
    b.addMany(this.view());
    b.runOptimize();
    b.shrinkToFit();
    return b;
  }
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

export class RangeIndex {
  private constructor(
    /** By customer id; NaN = no value. */
    readonly values: ArrayLike<number>,
    private readonly buckets: RoaringBitmap32[],
    private readonly mins: Float64Array,
    private readonly maxs: Float64Array,
    /** prefixes[m] = buckets [0, m·step). */
    private readonly prefixes: RoaringBitmap32[],
    private readonly step: number,
    /** Customers with a value. */
    readonly has: RoaringBitmap32,
  ) {}

  static build(values: ArrayLike<number>, maxBuckets = 256): RangeIndex {
    const n = values.length;
    // Bucket boundaries from a sample of at most 64k values.
    let present = 0;
    for (let i = 0; i < n; i++) if (values[i] === values[i]) present++;
    const stride = Math.max(1, Math.floor(present / 65_536));
    const sample: number[] = [];
    for (let i = 0, k = 0; i < n; i++) {
      const v = values[i]!;
      if (v === v && k++ % stride === 0) sample.push(v);
    }
    const sorted = Float64Array.from(sample).sort();
    const want = Math.max(1, Math.min(maxBuckets, Math.ceil(present / 1024)));
    // Bucket j (j ≥ 1) starts at cuts[j - 1]. A value that fills several quantiles (a frequent
    // value such as 0) gets a bucket of its own: a cut at it and one just after it.
    const cutSet = new Set<number>();
    let last = NaN;
    for (let j = 1; j < want; j++) {
      const b = sorted[Math.floor((j * sorted.length) / want)]!;
      if (b === last) {
        const next = sorted.find((x) => x > b);
        if (next !== undefined) cutSet.add(next);
      }
      cutSet.add(b);
      last = b;
    }
    const cuts = Float64Array.from(cutSet).sort();
    const count = cuts.length + 1;
    const lists = Array.from({ length: count }, () => new IdList(Math.ceil(present / count) + 16));
    const mins = new Float64Array(count).fill(Infinity);
    const maxs = new Float64Array(count).fill(-Infinity);
    const has = new IdList(present + 1);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      // upper bound: number of cuts <= v
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cuts[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      lists[lo]!.push(i);
      if (v < mins[lo]!) mins[lo] = v;
      if (v > maxs[lo]!) maxs[lo] = v;
      has.push(i);
    }
    const buckets = lists.map((l) => l.toBitmap());
    const step = Math.max(1, Math.ceil(count / PREFIXES));
    const prefixes: RoaringBitmap32[] = [new RoaringBitmap32()];
    for (let m = 1; m * step <= count; m++) {
      const p = RoaringBitmap32.orMany([prefixes[m - 1]!, ...buckets.slice((m - 1) * step, m * step)]);
      p.runOptimize();
      prefixes.push(p);
    }
    return new RangeIndex(values, buckets, mins, maxs, prefixes, step, has.toBitmap());
  }

  /** Customers whose value lies in the range. */
  range(r: Range): RoaringBitmap32 {
    const parts: RoaringBitmap32[] = [];
    const count = this.buckets.length;
    const full = new Uint8Array(count);
    for (let j = 0; j < count; j++) {
      const min = this.mins[j]!;
      const max = this.maxs[j]!;
      if (min > max) continue; // empty bucket
      if (inRange(min, r) && inRange(max, r)) full[j] = 1;
      else if (max < r.lo || min > r.hi || (max === r.lo && !r.loIncl) || (min === r.hi && !r.hiIncl)) continue;
      else parts.push(this.filter(this.buckets[j]!, r));
    }
    // Full buckets form one run [a, b) (buckets are ordered by value).
    let a = 0;
    while (a < count && !full[a]) a++;
    let b = a;
    while (b < count && full[b]) b++;
    const a2 = Math.ceil(a / this.step) * this.step;
    const b2 = Math.floor(b / this.step) * this.step;
    if (a2 < b2) {
      const upto = this.prefixes[b2 / this.step]!;
      parts.push(a2 === 0 ? upto : RoaringBitmap32.andNot(upto, this.prefixes[a2 / this.step]!));
      for (let j = a; j < a2; j++) parts.push(this.buckets[j]!);
      for (let j = b2; j < b; j++) parts.push(this.buckets[j]!);
    } else for (let j = a; j < b; j++) parts.push(this.buckets[j]!);
    for (let j = b; j < count; j++) if (full[j]) throw new Error("range index: full buckets not contiguous");
    if (parts.length === 0) return new RoaringBitmap32();
    if (parts.length === 1) return parts[0]!; // shared: callers never modify results
    return RoaringBitmap32.orMany(parts);
  }

  private filter(bucket: RoaringBitmap32, r: Range): RoaringBitmap32 {
    const ids = bucket.toUint32Array();
    const out = new Uint32Array(ids.length);
    let k = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (inRange(this.values[id]!, r)) out[k++] = id;
    }
    const b = new RoaringBitmap32();
    b.addMany(out.subarray(0, k));
    return b;
  }

  /** Bytes held by the bitmaps (the column is counted by its owner). */
  sizeInBytes(): number {
    return [...this.buckets, ...this.prefixes, this.has].reduce((s, b) => s + b.getSerializationSizeInBytes("croaring"), 0);
  }
}
