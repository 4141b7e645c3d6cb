/**
 * Decodes the rows a CopyWriter produced back into plain values (for the INSERT baseline of the
 * seed benchmark and for tests). Dates come back as "YYYY-MM-DD", timestamps as ISO strings,
 * bigints and numerics as strings: the forms node-postgres sends as query parameters.
 */
import type { TableSpec } from "./tables";

export type Value = string | number | boolean | null;

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const decoder = new TextDecoder();

export function* decodeRows(spec: TableSpec, bytes: Uint8Array): Generator<Value[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p < bytes.length) {
    const fields = view.getInt16(p);
    p += 2;
    if (fields === -1) return;
    if (fields !== spec.columns.length) throw new Error(`${spec.table}: row has ${fields} fields, expected ${spec.columns.length}`);
    const row: Value[] = new Array(fields);
    for (let f = 0; f < fields; f++) {
      const len = view.getInt32(p);
      p += 4;
      if (len < 0) {
        row[f] = null;
        continue;
      }
      row[f] = decodeValue(spec.columns[f]![1], view, bytes, p, len);
      p += len;
    }
    yield row;
  }
}

function decodeValue(type: TableSpec["columns"][number][1], view: DataView, bytes: Uint8Array, p: number, len: number): Value {
  switch (type) {
    case "int4":
      return view.getInt32(p);
    case "int8":
      return (view.getInt32(p) * 4294967296 + view.getUint32(p + 4)).toString();
    case "bool":
      return bytes[p] === 1;
    case "text":
      return decoder.decode(bytes.subarray(p, p + len));
    case "jsonb":
      return decoder.decode(bytes.subarray(p + 1, p + len));
    case "date":
      return new Date(PG_EPOCH_MS + view.getInt32(p) * DAY_MS).toISOString().slice(0, 10);
    case "timestamptz": {
      const micros = view.getInt32(p) * 4294967296 + view.getUint32(p + 4);
      return new Date(PG_EPOCH_MS + micros / 1000).toISOString();
    }
    case "numeric":
      return decodeNumeric(view, p);
  }
}

function decodeNumeric(view: DataView, p: number): string {
  const ndigits = view.getInt16(p);
  const weight = view.getInt16(p + 2);
  const sign = view.getUint16(p + 4);
  const dscale = view.getInt16(p + 6);
  let whole = "";
  let frac = "";
  for (let i = 0; i < ndigits; i++) {
    const group = view.getInt16(p + 8 + 2 * i);
    if (i <= weight) whole += i === 0 ? String(group) : String(group).padStart(4, "0");
    else frac += String(group).padStart(4, "0");
  }
  // Integer groups that were zero and omitted after the last written one (none for zero itself).
  if (ndigits > 0) for (let i = ndigits; i <= weight; i++) whole += "0000";
  if (weight < -1) frac = "0000".repeat(-weight - 1) + frac;
  const text = `${whole || "0"}.${frac.padEnd(dscale, "0").slice(0, dscale)}`;
  return sign === 0x4000 ? `-${text}` : text;
}
