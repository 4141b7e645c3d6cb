/**
 * Org scope as bitmaps: customers by org path (the customer's own unit, "/HO/BR01/BR01S01/") and
 * by assigned RM. A subtree is the union of the paths that start with its path — the same prefix
 * rule as auth/scope.ts, where the trailing slash keeps BR01 and BR010 apart; an RM's scope is
 * their subtree ∧ their own customers.
 */
import { copyOut } from "@mkt/db/tags/pg-binary";
import type { PgClient } from "@mkt/db/tags/storage";
import { RoaringBitmap32 } from "../bitmap";
import { isWithinPath, type OrgScope } from "../../auth/scope";
import { IdList } from "./range";

export class ScopeIndex {
  private readonly subtrees = new Map<string, RoaringBitmap32>();

  constructor(
    private readonly byPath: Map<string, RoaringBitmap32>,
    private readonly byRm: Map<string, RoaringBitmap32>,
    readonly maxId: number,
  ) {}

  static async load(client: PgClient): Promise<ScopeIndex> {
    const paths = new Map<string, IdList>();
    const rms = new Map<string, IdList>();
    let maxId = 0;
    await copyOut(client, "SELECT id, org_path, rm_id FROM customer ORDER BY id", (buf, starts, lengths) => {
      const id = buf.readInt32BE(starts[0]!);
      const path = buf.toString("utf8", starts[1]!, starts[1]! + lengths[1]!);
      let l = paths.get(path);
      if (!l) paths.set(path, (l = new IdList(1024)));
      l.push(id);
      if (lengths[2]! >= 0) {
        const rm = buf.toString("utf8", starts[2]!, starts[2]! + lengths[2]!);
        let r = rms.get(rm);
        if (!r) rms.set(rm, (r = new IdList(256)));
        r.push(id);
      }
      maxId = id;
    });
    const toMap = (m: Map<string, IdList>) => new Map([...m].map(([k, v]) => [k, v.toBitmap()]));
    return new ScopeIndex(toMap(paths), toMap(rms), maxId);
  }

  /** Customers visible in a scope (do not modify the result). */
  customers(scope: OrgScope): RoaringBitmap32 {
    let sub = this.subtrees.get(scope.orgPath);
    if (!sub) {
      const parts = [...this.byPath].filter(([p]) => isWithinPath(p, scope.orgPath)).map(([, b]) => b);
      sub = parts.length ? RoaringBitmap32.orMany(parts) : new RoaringBitmap32();
      this.subtrees.set(scope.orgPath, sub);
    }
    if (scope.kind === "subtree") return sub;
    return RoaringBitmap32.and(sub, this.byRm.get(scope.rmId) ?? new RoaringBitmap32());
  }

  sizeInBytes(): number {
    let s = 0;
    for (const b of [...this.byPath.values(), ...this.byRm.values(), ...this.subtrees.values()]) s += b.getSerializationSizeInBytes("croaring");
    return s;
  }
}
