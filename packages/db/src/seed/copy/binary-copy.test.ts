import { describe, expect, it } from "vitest";
import { decodeRows } from "./binary-reader";
import { CopyWriter, utf8 } from "./binary-writer";
import type { TableSpec } from "./tables";
import { dayFromIso } from "../calendar";

const spec: TableSpec = {
  table: "t",
  columns: [["i", "int4"], ["b", "int8"], ["n", "numeric"], ["d", "date"], ["ts", "timestamptz"], ["s", "text"], ["k", "text"], ["j", "jsonb"], ["f", "bool"]],
};

function roundTrip(write: (w: CopyWriter) => void) {
  const w = new CopyWriter(16);
  write(w);
  return [...decodeRows(spec, w.take())];
}

describe("binary COPY writer", () => {
  it("round-trips every wire type, including values that need several numeric groups", () => {
    const cents = [0, 1, 99, 100, 12_345, 99_999_999, 100_000_000, 2_147_483_647, 2_147_483_648, 123_456_789_012_345, -5, -1_000_000];
    const rows = roundTrip((w) => {
      for (const c of cents) {
        w.row(9);
        w.int4(-7);
        w.int8(9_007_199_254_740_991 - c);
        w.cents(c);
        w.date(dayFromIso("2026-01-01"));
        w.timestamp(Date.UTC(2026, 5, 30, 1, 2, 3, 456));
        w.text("王小明 😀");
        w.code(utf8("TX"), 42, 12);
        w.jsonb('{"keyword":"理财"}');
        w.bool(c % 2 === 0);
      }
      w.row(9);
      for (let i = 0; i < 9; i++) w.nul();
    });
    expect(rows).toHaveLength(cents.length + 1);
    rows.slice(0, -1).forEach((r, i) => {
      const c = cents[i]!;
      const sign = c < 0 ? "-" : "";
      const abs = Math.abs(c);
      expect(r).toEqual([-7, String(9_007_199_254_740_991 - c), `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`, "2026-01-01", "2026-06-30T01:02:03.456Z", "王小明 😀", "TX000000000042", '{"keyword":"理财"}', c % 2 === 0]);
    });
    expect(rows.at(-1)).toEqual(Array(9).fill(null));
  });

  it("grows its buffer for long values", () => {
    const long = "数".repeat(10_000);
    const rows = roundTrip((w) => {
      w.row(9);
      w.int4(1);
      w.int8(1);
      w.cents(1);
      w.date(0);
      w.timestamp(Date.UTC(2000, 0, 1));
      w.text(long);
      w.nul();
      w.jsonb(JSON.stringify({ long }));
      w.bool(true);
    });
    expect(rows[0]![5]).toBe(long);
    expect(rows[0]![3]).toBe("2000-01-01");
  });
});
