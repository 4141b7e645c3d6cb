/**
 * Product holdings: per category ("C:WEALTH") and per product code ("P:WM001") the customers who
 * hold it now — ACTIVE holdings and accounts not CLOSED, as in the tag features — with the sum of
 * their amounts (summed exactly in SQL, then rounded once to a double, like the baseline compares).
 * "At least minAmount" is a range query over the sums (range.ts): no per-customer pass at query
 * time, whatever the threshold.
 */
import { copyOut } from "@mkt/db/tags/pg-binary";
import type { PgClient } from "@mkt/db/tags/storage";
import { RoaringBitmap32 } from "../bitmap";
import type { HoldingCondition } from "../rule";
import { IdList, RangeIndex, type Made } from "./range";

interface Held {
  all: RoaringBitmap32;
  /** Their sums. */
  sums: RangeIndex;
}

export class HoldingIndex {
  private constructor(private readonly byKey: Map<string, Held>) {}

  static async load(client: PgClient, maxId: number): Promise<HoldingIndex> {
    const acc = new Map<string, { ids: IdList; sums: number[] }>();
    const sql = `SELECT x.key, x.customer_id, sum(x.amount)::float8 FROM (
        SELECT 'C:' || p.category::text AS key, h.customer_id, h.amount FROM holding h JOIN product p ON p.id = h.product_id WHERE h.status = 'ACTIVE'
        UNION ALL SELECT 'P:' || p.code, h.customer_id, h.amount FROM holding h JOIN product p ON p.id = h.product_id WHERE h.status = 'ACTIVE'
        UNION ALL SELECT 'C:' || a.kind::text, a.customer_id, a.balance FROM account a WHERE a.status <> 'CLOSED'
        UNION ALL SELECT 'P:' || p.code, a.customer_id, a.balance FROM account a JOIN product p ON p.id = a.product_id WHERE a.status <> 'CLOSED'
      ) x GROUP BY 1, 2 ORDER BY 1, 2`;
    let key = "";
    let cur: { ids: IdList; sums: number[] } | undefined;
    await copyOut(client, sql, (buf, starts, lengths) => {
      const k = buf.toString("utf8", starts[0]!, starts[0]! + lengths[0]!);
      const id = buf.readInt32BE(starts[1]!);
      if (id > maxId) return;
      if (k !== key || !cur) {
        key = k;
        cur = acc.get(k);
        if (!cur) acc.set(k, (cur = { ids: new IdList(1024), sums: [] }));
      }
      cur.ids.push(id);
      cur.sums.push(lengths[2]! < 0 ? 0 : buf.readDoubleBE(starts[2]!));
    });
    const byKey = new Map<string, Held>();
    for (const [k, v] of acc) {
      const sums = RangeIndex.fromPairs(v.ids.view(), v.sums);
      byKey.set(k, { all: sums.has, sums });
    }
    return new HoldingIndex(byKey);
  }

  /** Builds an index from per-key sums (ids ascending) — the 10M benchmark synthesizes them. */
  static fromSums(sums: Map<string, { ids: Uint32Array; sums: Float64Array }>): HoldingIndex {
    const byKey = new Map<string, Held>();
    for (const [k, v] of sums) {
      const index = RangeIndex.fromPairs(v.ids, v.sums);
      byKey.set(k, { all: index.has, sums: index });
    }
    return new HoldingIndex(byKey);
  }

  /** Customers holding the product or category (with at least `minAmount` in total); `own`: made for this call. */
  held(leaf: HoldingCondition): Made {
    const key = leaf.category ? `C:${leaf.category}` : `P:${leaf.productCode}`;
    const h = this.byKey.get(key);
    if (!h) return { b: new RoaringBitmap32(), own: true };
    if (leaf.minAmount === undefined) return { b: h.all, own: false };
    return h.sums.range({ lo: leaf.minAmount, loIncl: true, hi: Infinity, hiIncl: true });
  }

  sizeInBytes(): number {
    let s = 0;
    for (const h of this.byKey.values()) s += h.sums.sizeInBytes();
    return s;
  }
}
