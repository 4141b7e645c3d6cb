/**
 * Customers by one business day each (e.g. the day of their N-th most recent event): a bitmap per
 * day and one per block of 16 days, so "day in [from, to]" is a union of at most ~50 bitmaps.
 */
import { RoaringBitmap32 } from "../bitmap";
import { IdList } from "./range";

const BLOCK = 16;

export class DayIndex {
  private constructor(
    private readonly first: number,
    private readonly days: RoaringBitmap32[],
    private readonly blocks: RoaringBitmap32[],
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
    const blocks: RoaringBitmap32[] = [];
    for (let j = 0; j + BLOCK <= span; j += BLOCK) blocks.push(RoaringBitmap32.orMany(days.slice(j, j + BLOCK)));
    return new DayIndex(first, days, blocks);
  }

  /** Customers whose day is in [from, to] (inclusive). */
  between(from: number, to: number): RoaringBitmap32 {
    let a = Math.max(0, from - this.first);
    const b = Math.min(this.days.length - 1, to - this.first);
    const parts: RoaringBitmap32[] = [];
    while (a <= b) {
      if (a % BLOCK === 0 && a + BLOCK - 1 <= b && a / BLOCK < this.blocks.length) {
        parts.push(this.blocks[a / BLOCK]!);
        a += BLOCK;
      } else parts.push(this.days[a++]!);
    }
    if (parts.length === 0) return new RoaringBitmap32();
    return parts.length === 1 ? parts[0]! : RoaringBitmap32.orMany(parts); // shared: never modified
  }
}
