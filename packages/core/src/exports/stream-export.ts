/**
 * The streaming export: segment members (a roaring bitmap of customer ids) → ordered chunks →
 * one binary `COPY (SELECT …) TO STDOUT` per chunk → cells (masked, neutralised) → a CSV or XLSX
 * sink → the output stream, with back-pressure at every step. What stays in memory does not grow
 * with the number of rows: one network chunk of rows, one output buffer, the compressor's window,
 * the org-unit and staff names, and the chosen tags' current columns (one typed array per tag,
 * indexed by customer id — the way the segment engine holds them — decoded as they stream).
 */
import type { Writable } from "node:stream";
import type pg from "pg";
import type { RoaringBitmap32 } from "roaring";
import { readMemberRows, readNames, type MemberChunk } from "@mkt/db/exports/member-rows";
import { readTagColumns, type ExportTagColumn } from "@mkt/db/exports/tag-columns";
import { mask } from "../auth/masking";
import { numberCell, textCell, type Cell } from "./cells";
import type { ExportPlan, PlannedColumn } from "./columns";
import { createSink, type ExportFormat } from "./sink";

/** Members per COPY: small enough for a quick first byte and fine progress, big enough to stream. */
export const MEMBER_CHUNK = 50_000;

export interface StreamExportInput {
  client: pg.ClientBase;
  members: RoaringBitmap32;
  plan: ExportPlan;
  masked: boolean;
  format: ExportFormat;
  out: Writable;
  /** Only customers under this org path are written (defence in depth: the requester's scope). */
  scopePath?: string;
  sheetName?: string;
  /** After each chunk: rows written so far and the member count. */
  onProgress?: (rows: number, members: number) => Promise<void> | void;
  signal?: AbortSignal;
}

type Getter = (id: number, fields: (string | null)[]) => Cell;

const DAY_MS = 86_400_000;

function tagGetter(column: ExportTagColumn | undefined): Getter {
  if (!column) return () => null;
  const c = column.column;
  switch (c.type) {
    case "num":
      return (id) => numberCell(c.data[id]);
    case "label":
      return (id) => {
        const code = c.data[id] ?? -1;
        return code < 0 ? null : textCell(c.dict[code]);
      };
    case "bool":
      return (id) => {
        const v = c.data[id];
        return v === 1 ? "true" : v === 0 ? "false" : null;
      };
    case "date":
      return (id) => {
        const d = c.data[id] ?? NaN;
        return Number.isFinite(d) ? new Date(d * DAY_MS).toISOString().slice(0, 10) : null;
      };
    case "text":
      return (id) => textCell(c.data[id]);
  }
}

function getterFor(
  col: PlannedColumn,
  plan: ExportPlan,
  masked: boolean,
  names: { orgUnits: Map<string, string>; staff: Map<string, string> },
  tags: Map<string, ExportTagColumn>,
): Getter {
  const s = col.source;
  switch (s.kind) {
    case "field": {
      const i = plan.fields.indexOf(s.field);
      const pii = masked ? s.pii : undefined;
      return pii ? (_id, f) => textCell(mask(pii, f[i])) : (_id, f) => textCell(f[i]);
    }
    case "branch": {
      const i = plan.fields.indexOf("orgUnitId");
      return (_id, f) => textCell(names.orgUnits.get(f[i] ?? ""));
    }
    case "rm": {
      const i = plan.fields.indexOf("rmId");
      return (_id, f) => textCell(names.staff.get(f[i] ?? ""));
    }
    case "tag":
      return tagGetter(tags.get(s.code));
  }
}

/** Writes the export to `out` (not ended) and returns the number of data rows. */
export async function streamExport(input: StreamExportInput): Promise<{ rows: number }> {
  const { client, members, plan, masked, format, out } = input;
  const total = members.size;
  const needNames = plan.columns.some((c) => c.source.kind === "branch" || c.source.kind === "rm");
  const names = needNames ? await readNames(client) : { orgUnits: new Map<string, string>(), staff: new Map<string, string>() };
  const tags = new Map<string, ExportTagColumn>();
  if (plan.tags.length && total > 0) {
    const loaded = await readTagColumns(client, plan.tags.map((t) => t.id), members.maximum() + 1);
    for (const t of plan.tags) {
      const c = loaded.get(t.id);
      if (c) tags.set(t.code, c);
    }
  }
  const getters = plan.columns.map((c) => getterFor(c, plan, masked, names, tags));
  const sink = createSink(format, out, plan.columns.map((c) => c.header), input.sheetName);
  const cells: Cell[] = new Array(getters.length).fill(null);
  let rows = 0;
  const onRow = (id: number, fields: (string | null)[]) => {
    for (let k = 0; k < getters.length; k++) cells[k] = getters[k]!(id, fields);
    sink.row(cells);
    rows++;
  };
  const flush = () => sink.flush();
  for (let offset = 0; offset < total; offset += MEMBER_CHUNK) {
    input.signal?.throwIfAborted();
    const ids = members.rangeUint32Array(offset, MEMBER_CHUNK);
    const chunk: MemberChunk = { lo: ids[0]!, hi: ids[ids.length - 1]!, ids };
    await readMemberRows(client, chunk, plan.fields, onRow, flush, input.scopePath);
    await flush();
    await input.onProgress?.(rows, total);
  }
  await sink.end();
  return { rows };
}
