/**
 * In-memory columns: one typed array per feature or tag, index = customer id (ids are dense, so
 * customer i is element i; element 0 is unused). Missing values use a sentinel of the array type.
 */
import { BOOL_NULL, CODE_NULL } from "./pg-binary";

export { BOOL_NULL, CODE_NULL };

export type Column =
  | { type: "bool"; data: Uint8Array }
  /** `dict[code]` is the label; ENUM tags use their enum values as the dictionary. */
  | { type: "label"; data: Int16Array; dict: string[] }
  | { type: "num"; data: Float64Array }
  /** Days since 1970-01-01. */
  | { type: "date"; data: Float64Array }
  | { type: "text"; data: (string | null)[] };

export type ColumnType = Column["type"];

export function emptyColumn(type: ColumnType, size: number, dict: string[] = []): Column {
  switch (type) {
    case "bool":
      return { type, data: new Uint8Array(size).fill(BOOL_NULL) };
    case "label":
      return { type, data: new Int16Array(size).fill(CODE_NULL), dict };
    case "num":
    case "date":
      return { type, data: new Float64Array(size).fill(NaN) };
    case "text":
      return { type, data: new Array<string | null>(size).fill(null) };
  }
}

export function isMissing(c: Column, i: number): boolean {
  switch (c.type) {
    case "bool":
      return c.data[i] === BOOL_NULL;
    case "label":
      return c.data[i]! < 0;
    case "num":
    case "date":
      return c.data[i] !== c.data[i];
    case "text":
      return c.data[i] == null;
  }
}

/** A value as plain JSON (label text for labels, true/false for booleans), null when missing. */
export function valueAt(c: Column, i: number): number | string | boolean | null {
  if (isMissing(c, i)) return null;
  switch (c.type) {
    case "bool":
      return c.data[i] === 1;
    case "label":
      return c.dict[c.data[i]!] ?? null;
    case "text":
      return c.data[i] ?? null;
    default:
      return c.data[i]!;
  }
}
