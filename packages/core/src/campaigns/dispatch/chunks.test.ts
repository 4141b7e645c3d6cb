import { describe, expect, it } from "vitest";
import { chunkOf, chunkStarts, layoutCut, layoutStarts, LOCK_BLOCK_BITS, UNTHROTTLED_CHUNK } from "./chunks";

const range = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);
const blockOf = (id: number) => id >>> LOCK_BLOCK_BITS;

describe("chunks of a send wave", () => {
  it("covers every position once, in order", () => {
    const ids = range(1, 10_000);
    const starts = chunkStarts(ids, 2_048, 4_096);
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
    expect(starts.at(-1)!).toBeLessThan(ids.length);
  });

  it("cuts unthrottled chunks at lock-block boundaries, so a wave's chunks never share a block", () => {
    const ids = range(1, 100_000);
    const starts = layoutStarts(ids, UNTHROTTLED_CHUNK);
    for (let i = 1; i < starts.length; i++) expect(blockOf(ids[starts[i]! - 1]!)).not.toBe(blockOf(ids[starts[i]!]!));
    const sizes = starts.map((s, i) => (starts[i + 1] ?? ids.length) - s);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(UNTHROTTLED_CHUNK * 2);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(UNTHROTTLED_CHUNK / 2);
  });

  it("keeps sparse audiences at about the target, and throttled chunks at exactly their size", () => {
    const sparse = range(7, 50_000, 37);
    const starts = layoutStarts(sparse, UNTHROTTLED_CHUNK);
    const sizes = starts.map((s, i) => (starts[i + 1] ?? sparse.length) - s);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(UNTHROTTLED_CHUNK * 2);
    const throttled = layoutStarts(range(1, 1_000), 200);
    expect(throttled).toEqual([0, 200, 400, 600, 800]);
  });

  it("cuts along the block size it is given, so a wave cut by an earlier release keeps its layout", () => {
    const ids = range(1, 20_000);
    expect(layoutCut(UNTHROTTLED_CHUNK)).toEqual({ max: UNTHROTTLED_CHUNK * 2, bits: LOCK_BLOCK_BITS });
    expect(layoutCut(200)).toEqual({ max: 200, bits: LOCK_BLOCK_BITS });
    const legacy = chunkStarts(ids, 2_048, 4_096, 10);
    for (const s of legacy.slice(1)) expect(ids[s]! >>> 10).not.toBe(ids[s - 1]! >>> 10);
    expect(legacy).not.toEqual(layoutStarts(ids, UNTHROTTLED_CHUNK));
    expect(chunkStarts(ids, 2_048, 4_096, 10)).toEqual(legacy);
  });

  it("gives each position its contact id from the wave's block", () => {
    const ids = Uint32Array.from(range(100, 5_000));
    const layout = { ids, starts: layoutStarts(ids, 200), idBase: 1_000_000_000_000n };
    expect(chunkOf(layout, 2)).toMatchObject({ firstPosition: 400, firstId: 1_000_000_000_400n });
    expect(chunkOf(layout, 2)!.customerIds).toHaveLength(200);
    expect(chunkOf(layout, 25)).toBeNull();
  });
});
