/**
 * Values of IMPORTED and MODEL tags (`tag_source_value`), loaded into columns so a batch run
 * stores them next to the computed tags. value_num carries booleans (1/0), numbers and dates
 * (days since 1970-01-01); value_text carries enum labels and text.
 */
import type pg from "pg";
import { emptyColumn, type Column } from "./columns";
import { copyOut } from "./pg-binary";
import type { StoredValueType } from "./storage";

export interface SourceTag {
  id: number;
  valueType: StoredValueType;
  enumValues?: string[];
}

export async function loadSourceValues(client: pg.ClientBase, tags: SourceTag[], size: number): Promise<Map<number, Column>> {
  const out = new Map<number, Column>();
  const byId = new Map(tags.map((t) => [t.id, t]));
  for (const t of tags) {
    const type = { BOOLEAN: "bool", ENUM: "label", NUMBER: "num", DATE: "date", TEXT: "text" }[t.valueType] as Column["type"];
    out.set(t.id, emptyColumn(type, size, t.enumValues ?? []));
  }
  if (!tags.length) return out;
  const ids = tags.map((t) => Math.trunc(t.id)).join(",");
  const sql = `SELECT tag_id, customer_id, value_num, value_text FROM tag_source_value WHERE tag_id IN (${ids}) AND customer_id < ${Math.trunc(size)}`;
  await copyOut(client, sql, (buf, starts, lengths) => {
    const tag = byId.get(buf.readInt32BE(starts[0]!))!;
    const c = out.get(tag.id)!;
    const i = buf.readInt32BE(starts[1]!);
    const num = lengths[2]! >= 0 ? buf.readDoubleBE(starts[2]!) : NaN;
    const text = lengths[3]! >= 0 ? buf.toString("utf8", starts[3]!, starts[3]! + lengths[3]!) : null;
    switch (c.type) {
      case "bool":
        if (num === 0 || num === 1) c.data[i] = num;
        break;
      case "label":
        if (text !== null) c.data[i] = c.dict.indexOf(text);
        break;
      case "num":
      case "date":
        c.data[i] = num;
        break;
      case "text":
        c.data[i] = text;
        break;
    }
  });
  return out;
}
