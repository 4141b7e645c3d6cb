/**
 * Customers by one business day each (e.g. the day of their N-th most recent event): a bitmap per
 * day, suffix bitmaps holding the customers of days [m·16, last] for every m, and — since
 * behaviour windows end today, the last day — the exact suffix of every standard window (the
 * last 7, 30, 90, 180 and 365 days), so those windows are one prepared bitmap with no work at
 * query time. Any other "day in [from, to]" is one suffix (minus another when `to` is before the
 * last day) plus at most 2 × 15 day bitmaps.
 */
import { RoaringBitmap32 } from "../bitmap";
import type { Made } from "./range";
import { sortedToBitmap } from "./range";

const STEP = 16;
/** Windows (days, ending today) prepared as one bitmap each. */
export const STANDARD_WINDOWS = [7, 30, 90, 180, 365];

export class DayIndex {
  private constructor(
    private readonly first: number,
    private readonly days: RoaringBitmap32[],
    /** suffixes[m] = days [m·STEP, span). */
    private readonly suffixes: RoaringBitmap32[],
    /** Exact suffixes by their first day offset (standard windows). */
    private readonly exact: Map<number, RoaringBitmap32>,
  ) {}

  /** `ids` ascending, `day[k]` the day of ids[k]; days outside [first, last] are left out. */
  static build(first: number, last: number, ids: ArrayLike<number>, day: ArrayLike<number>): DayIndex {
    const span = Math.max(0, last - first + 1);
    // Counting sort by day, ids stay ascending within a day.
    const sizes = new Uint32Array(span);
    for (let k = 0; k < ids.length; k++) {
      const d = day[k]! - first;
      if (d >= 0 && d < span) sizes[d]!++;
    }
    const lists = Array.from(sizes, (s) => new Uint32Array(s));
    const fill = new Uint32Array(span);
    for (let k = 0; k < ids.length; k++) {
      const d = day[k]! - first;
      if (d >= 0 && d < span) lists[d]![fill[d]!++] = ids[k]!;
    }
    const days = lists.map((l) => sortedToBitmap(l));
    const steps = Math.ceil(span / STEP);
    const suffixes: RoaringBitmap32[] = new Array<RoaringBitmap32>(steps + 1);
    suffixes[steps] = new RoaringBitmap32();
    for (let m = steps - 1; m >= 0; m--) {
      const s = RoaringBitmap32.orMany([suffixes[m + 1]!, ...days.slice(m * STEP, (m + 1) * STEP)]);
      s.runOptimize();
      s.shrinkToFit();
      suffixes[m] = s;
    }
    const index = new DayIndex(first, days, suffixes, new Map());
    for (const w of STANDARD_WINDOWS) {
      const a = span - w;
      if (a <= 0 || a % STEP === 0) continue;
      const made = index.between(first + a, last);
      made.b.runOptimize();
      made.b.shrinkToFit();
      index.exact.set(a, made.b);
    }
    return index;
  }

  /** Customers whose day is in [from, to] (inclusive); `own`: made for this call. */
  between(from: number, to: number): Made {
    const a = Math.max(0, from - this.first);
    const b = Math.min(this.days.length - 1, to - this.first) + 1; // exclusive
    if (a >= b) return { b: new RoaringBitmap32(), own: true };
    if (b === this.days.length) {
      const exact = this.exact.get(a);
      if (exact) return { b: exact, own: false };
    }
    const a2 = Math.ceil(a / STEP);
    const b2 = b === this.days.length ? this.suffixes.length - 1 : Math.floor(b / STEP);
    const parts: RoaringBitmap32[] = [];
    let made: RoaringBitmap32 | null = null;
    if (a2 < b2 || (b === this.days.length && a2 * STEP < b)) {
      const fromA = this.suffixes[a2]!;
      if (b === this.days.length) parts.push(fromA);
      else parts.push((made = RoaringBitmap32.andNot(fromA, this.suffixes[b2]!)));
      for (let d = a; d < Math.min(a2 * STEP, b); d++) parts.push(this.days[d]!);
      if (b !== this.days.length) for (let d = b2 * STEP; d < b; d++) parts.push(this.days[d]!);
    } else for (let d = a; d < b; d++) parts.push(this.days[d]!);
    if (parts.length === 0) return { b: new RoaringBitmap32(), own: true };
    if (parts.length === 1) return { b: parts[0]!, own: made !== null };
    if (made) {
      for (const p of parts) if (p !== made) made.orInPlace(p);
      return { b: made, own: true };
    }
    return { b: RoaringBitmap32.orMany(parts), own: true };
  }

  /** Bytes held by the bitmaps. */
  sizeInBytes(): number {
    let s = 0;
    for (const b of [...this.days, ...this.suffixes, ...this.exact.values()]) s += b.getSerializationSizeInBytes("croaring");
    return s;
  }
}
