/** What each import kind contributes to the common pipeline (run.ts): its staging and its SQL. */
import type { ImportKind } from "../dictionary";
import type { RowIssue } from "../issues";
import type { StageColumn, Tx } from "../stage";

export interface ApplyStats {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Customers only: golden customers created, and records joined to an existing one by rule. */
  newCustomers?: number;
  merged?: { CERT_NO: number; PHONE: number };
}

export interface BatchContext {
  batchId: string;
  sourceSystem: string;
  /** Materialised path of the importer's org unit: every row must stay inside this subtree. */
  scopePath: string;
}

export interface KindHandler<R> {
  kind: ImportKind;
  columns: StageColumn<R>[];
  /** Extra staging columns the checks and the apply fill in (resolved ids, match results). */
  workColumns: string;
  /** Staging columns joined on: indexed once the rows are staged. */
  indexColumns: string[];
  /** The natural key: repeated within one file it is an error. */
  keyColumn: string;
  /** Database checks of the staged rows: references inside the scope, keys owned by others. */
  check(tx: Tx, ctx: BatchContext): Promise<RowIssue[]>;
  /** Applies the staged rows (only called when no row has an issue). */
  apply(tx: Tx, ctx: BatchContext): Promise<ApplyStats>;
}

/** Like-pattern of a subtree; org codes are [A-Z0-9] so a path holds no LIKE wildcard. */
export function subtreePattern(scopePath: string): string {
  return `${scopePath}%`;
}
