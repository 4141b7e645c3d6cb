/**
 * Customers by one business day each (e.g. the day of their N-th most recent event): a bitmap per
 * day, and suffix bitmaps holding the customers of days [m·16, last] for every m. "Day in
 * [from, to]" is then one suffix (minus another when `to` is before the last day) plus at most
 * 2 × 15 day bitmaps; behaviour windows always end today, the last day, so usually no andNot.
 */
import { RoaringBitmap32 } from "../bitmap";
import { IdList } from "./range";

const STEP = 16;

export class DayIndex {
  private constructor(
    private readonly first: number,
    private readonly days: RoaringBitmap32[],
    /** suffixes[m] = days [m·STEP, span). */
    private readonly suffixes: RoaringBitmap32[],
  ) {}

  /** `ids` ascending, `day[k]` the day of ids[k]; days outside [first, last] are left out. */
  static build(first: number, last: number, ids: ArrayLike<number>, day: ArrayLike<number>): DayIndex {
    const span = Math.max(0, last - first + 1);
    const lists = Array.from({ length: span }, () => new IdList(64));
    for (let k = 0; k < ids.length; k++) {
      const d = day[k]! - first;
      if (d >= 0 && d < span) lists[d]!.push(ids[k]!);
    }
    const days = lists.map((l) => l.toBitmap());
    const steps = Math.ceil(span / STEP);
    const suffixes: RoaringBitmap32[] = new Array<RoaringBitmap32>(steps + 1);
    suffixes[steps] = new RoaringBitmap32();
    for (let m = steps - 1; m >= 0; m--) {
      const s = RoaringBitmap32.orMany([suffixes[m + 1]!, ...days.slice(m * STEP, (m + 1) * STEP)]);
      s.runOptimize();
      suffixes[m] = s;
    }
    return new DayIndex(first, days, suffixes);
  }

  /** Customers whose day is in [from, to] (inclusive). Shared result: never modify it. */
  between(from: number, to: number): RoaringBitmap32 {
    const a = Math.max(0, from - this.first);
    const b = Math.min(this.days.length - 1, to - this.first) + 1; // exclusive
    if (a >= b) return new RoaringBitmap32();
    const a2 = Math.ceil(a / STEP);
    const b2 = b === this.days.length ? this.suffixes.length - 1 : Math.floor(b / STEP);
    const parts: RoaringBitmap32[] = [];
    if (a2 < b2 || (b === this.days.length && a2 * STEP < b)) {
      const fromA = this.suffixes[a2]!;
      if (b === this.days.length) parts.push(fromA);
      else parts.push(RoaringBitmap32.andNot(fromA, this.suffixes[b2]!));
      for (let d = a; d < Math.min(a2 * STEP, b); d++) parts.push(this.days[d]!);
      if (b !== this.days.length) for (let d = b2 * STEP; d < b; d++) parts.push(this.days[d]!);
    } else for (let d = a; d < b; d++) parts.push(this.days[d]!);
    if (parts.length === 0) return new RoaringBitmap32();
    return parts.length === 1 ? parts[0]! : RoaringBitmap32.orMany(parts);
  }
}
