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
import { DATE_FIELDS, EXPORT_SESSION_RESET_SQL, EXPORT_SESSION_SQL, pgDateText, readMemberRows, readNames, type MemberChunk } from "@mkt/db/exports/member-rows";
import { readTagColumns, type ExportTagColumn } from "@mkt/db/exports/tag-columns";
import { mask } from "../auth/masking";
import { numberCell, textCell, type Cell } from "./cells";
import { BytesMap, maskedWriters, plain, writePlain, type ByteOut, type Encoder } from "./encode";
import type { ExportPlan, PlannedColumn } from "./columns";
import { createSink, type ExportFormat } from "./sink";

/** Members per COPY: small enough for a quick first byte and fine progress, big enough to stream. */
export const MEMBER_CHUNK = 200_000;

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

/**
 * A column compiled for one export: writes its cell of the current row (nothing for an empty
 * cell) from the row's undecoded fields.
 */
type ColumnWriter = (o: ByteOut, id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => void;

const DAY_MS = 86_400_000;

type Getter = (id: number) => Cell;

/** Tag values as cells (the slow, general form; numbers and labels have fast writers below). */
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

function writerFor(
  enc: Encoder,
  k: number,
  col: PlannedColumn,
  plan: ExportPlan,
  masked: boolean,
  names: { orgUnits: Map<string, string>; staff: Map<string, string> },
  tags: Map<string, ExportTagColumn>,
): ColumnWriter {
  const s = col.source;
  switch (s.kind) {
    case "field": {
      const f = plan.fields.indexOf(s.field);
      if (DATE_FIELDS.has(s.field)) {
        // a binary date; each day's cell encoded once
        const tails = new Map<number, Buffer | null>();
        return (o, _id, buf, starts, lens) => {
          if (lens[f] !== 4) return;
          const days = buf.readInt32BE(starts[f]!);
          let t = tails.get(days);
          if (t === undefined) tails.set(days, (t = enc.tail(textCell(pgDateText(days)))));
          if (t) enc.cached(o, k, t);
        };
      }
      const pii = masked ? s.pii : undefined;
      if (pii) {
        const fast = maskedWriters[pii as keyof typeof maskedWriters];
        return (o, _id, buf, starts, lens) => {
          const len = lens[f]!;
          if (len <= 0) return; // NULL or empty: an empty cell, as mask() + textCell() give
          const at = starts[f]!;
          if (fast?.(enc, o, k, buf, at, at + len)) return;
          enc.cell(o, k, textCell(mask(pii, buf.toString("utf8", at, at + len))));
        };
      }
      return (o, _id, buf, starts, lens) => {
        const len = lens[f]!;
        if (len <= 0) return;
        const at = starts[f]!;
        if (plain(enc, buf, at, at + len)) writePlain(enc, o, k, buf, at, at + len);
        else enc.cell(o, k, textCell(buf.toString("utf8", at, at + len)));
      };
    }
    case "branch":
    case "rm": {
      const f = plan.fields.indexOf(s.kind === "branch" ? "orgUnitId" : "rmId");
      const map = s.kind === "branch" ? names.orgUnits : names.staff;
      // each id's cell encoded once
      const tails = new BytesMap((id) => enc.tail(textCell(map.get(id))));
      return (o, _id, buf, starts, lens) => {
        const len = lens[f]!;
        const t = len < 0 ? null : tails.get(buf, starts[f]!, starts[f]! + len);
        if (t) enc.cached(o, k, t);
      };
    }
    case "tag": {
      const tag = tags.get(s.code);
      const c = tag?.column;
      if (c?.type === "num") {
        const data = c.data;
        return (o, id) => {
          const v = data[id];
          if (v !== undefined && Number.isFinite(v)) enc.number(o, k, v);
        };
      }
      if (c?.type === "label") {
        const tails = c.dict.map((label) => enc.tail(textCell(label)));
        const data = c.data;
        return (o, id) => {
          const code = data[id] ?? -1;
          const t = code < 0 ? null : tails[code];
          if (t) enc.cached(o, k, t);
        };
      }
      const get = tagGetter(tag);
      return (o, id) => enc.cell(o, k, get(id));
    }
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
  const sink = createSink(format, out, plan.columns.map((c) => c.header), input.sheetName);
  const enc = sink.encoder;
  const o = sink.out;
  const writers = plan.columns.map((c, k) => writerFor(enc, k, c, plan, masked, names, tags));
  const columns = writers.length;
  let rows = 0;
  const onRow = (id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => {
    enc.startRow(o);
    for (let k = 0; k < columns; k++) {
      enc.column(o, k);
      writers[k]!(o, id, buf, starts, lens);
    }
    enc.endRow(o);
    rows++;
  };
  const flush = () => sink.flush();
  await client.query(EXPORT_SESSION_SQL);
  try {
    for (let offset = 0; offset < total; offset += MEMBER_CHUNK) {
      input.signal?.throwIfAborted();
      const ids = members.rangeUint32Array(offset, MEMBER_CHUNK);
      const chunk: MemberChunk = { lo: ids[0]!, hi: ids[ids.length - 1]!, ids };
      await readMemberRows(client, chunk, plan.fields, onRow, flush, input.scopePath);
      await flush();
      await input.onProgress?.(rows, total);
    }
  } finally {
    await client.query(EXPORT_SESSION_RESET_SQL).catch(() => undefined);
  }
  await sink.end();
  return { rows };
}
