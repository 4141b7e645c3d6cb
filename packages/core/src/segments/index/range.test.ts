/**
 * The range and day indexes against brute force on seeded data: every kind of range (one-sided,
 * two-sided, narrow and wide, at a frequent value and between sample values), both as a union
 * (`range`) and as a conjunction (`rangeTerm`); behaviour windows, standard and not.
 */
import { describe, expect, it } from "vitest";
import { RoaringBitmap32 } from "../bitmap";
import { DayIndex, STANDARD_WINDOWS } from "./day-index";
import { inRange, nextUp, RangeIndex, type Range } from "./range";
import { seededRandom } from "./random-rules";

const N = 20_000;

function column(seed: number): Float64Array {
  const r = seededRandom(seed);
  const col = new Float64Array(N + 1).fill(NaN);
  for (let i = 1; i <= N; i++) {
    if (r() < 0.15) continue;
    // 40% zeros (a frequent value), the rest skewed with cents: values just above 0 exist.
    col[i] = r() < 0.4 ? 0 : Math.round(r() * r() * 1_000_000) / 100;
  }
  return col;
}

function brute(col: Float64Array, r: Range): number[] {
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) if (col[i] === col[i] && inRange(col[i]!, r)) out.push(i);
  return out;
}

function termMembers(t: { pos: RoaringBitmap32; neg: RoaringBitmap32[] }): number[] {
  const acc = t.pos.clone();
  for (const n of t.neg) acc.andNotInPlace(n);
  return acc.toArray();
}

describe("RangeIndex", () => {
  const col = column(7);
  const index = RangeIndex.build(col);
  const r = seededRandom(99);
  const values = [0, 0.01, 0.02, nextUp(0), 1, 99.99, 1234.56, 5000, 9999.99, -1, 20_000, ...Array.from({ length: 16 }, () => col[1 + Math.floor(r() * N)]!).filter((v) => v === v)];
  const ranges: Range[] = [];
  for (const v of values) {
    ranges.push({ lo: v, loIncl: true, hi: v, hiIncl: true }, { lo: v, loIncl: false, hi: Infinity, hiIncl: true }, { lo: -Infinity, loIncl: true, hi: v, hiIncl: true }, { lo: -Infinity, loIncl: true, hi: v, hiIncl: false });
    for (const w of values.slice(0, 8)) if (w > v) ranges.push({ lo: v, loIncl: true, hi: w, hiIncl: true });
  }

  it("answers every range like a scan, as a union and as a conjunction", () => {
    let terms = 0;
    for (const q of ranges) {
      const want = brute(col, q);
      expect(index.range(q).b.toArray().join(), JSON.stringify(q)).toBe(want.join());
      const t = index.rangeTerm(q);
      if (t) {
        terms++;
        expect(termMembers(t).join(), JSON.stringify(q)).toBe(want.join());
      }
    }
    expect(terms).toBeGreaterThan(20);
  }, 60_000);

  it("gives a frequent value a bucket of its own, so = 0 needs no filtering", () => {
    const made = index.range({ lo: 0, loIncl: true, hi: 0, hiIncl: true });
    expect(made.own).toBe(false);
    expect(made.b.size).toBe(brute(col, { lo: 0, loIncl: true, hi: 0, hiIncl: true }).length);
  });

  it("builds from (id, value) pairs like from a column; values read back", () => {
    const ids: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < col.length; i++) {
      if (col[i] !== col[i]) continue;
      ids.push(i);
      vals.push(col[i]!);
    }
    const pairs = RangeIndex.fromPairs(ids, vals);
    const q: Range = { lo: 10, loIncl: true, hi: Infinity, hiIncl: true };
    expect(pairs.range(q).b.toArray()).toEqual(brute(col, q));
    expect(pairs.has.size).toBe(ids.length);
    for (const k of [0, 17, 999]) expect(pairs.valueOf(ids[k]!)).toBe(vals[k]);
    expect(Number.isNaN(pairs.valueOf(0))).toBe(true);
  });
});

describe("DayIndex", () => {
  const first = 1000;
  const last = 1399;
  const r = seededRandom(5);
  const ids: number[] = [];
  const day: number[] = [];
  for (let i = 1; i <= 20_000; i++) {
    if (r() >= 0.6) continue;
    ids.push(i);
    day.push(first + Math.floor(r() * 420));
  }
  const index = DayIndex.build(first, last, ids, day);
  const brute = (from: number, to: number) => ids.filter((_, k) => day[k]! >= from && day[k]! <= to && day[k]! <= last);

  it("answers windows ending on the last day, standard ones from one prepared bitmap", () => {
    for (const w of [1, 2, 7, 15, 16, 17, 30, 45, 90, 180, 200, 365, 400, 500]) {
      const got = index.between(last - (w - 1), last);
      expect(got.b.toArray(), `${w} days`).toEqual(brute(last - (w - 1), last));
      if (STANDARD_WINDOWS.includes(w)) expect(got.own, `${w} days prepared`).toBe(false);
    }
  });

  it("answers windows ending before the last day", () => {
    for (const [from, to] of [[1000, 1010], [1003, 1100], [1200, 1215], [1390, 1398], [900, 1050]] as const) {
      expect(index.between(from, to).b.toArray()).toEqual(brute(from, to));
    }
  });
});

describe("bitmaps", () => {
  it("a cleared bitmap is empty and still usable", () => {
    const b = RoaringBitmap32.from([1, 2, 3]);
    b.clear();
    expect(b.size).toBe(0);
    b.add(4);
    expect(b.toArray()).toEqual([4]);
  });
});
