/**
 * Values of an IMPORTED tag from a file: CSV with the header `customer_no,value` (or 客户号,标签值),
 * one customer per line. Every bad line is reported with its line number (the header is line 1)
 * and then nothing is applied; a good file replaces the tag's imported values in one transaction,
 * and the next batch run copies them into its columns (`tag_source_value`). Customers outside the
 * uploader's org subtree are refused like unknown ones.
 */
import { writeAudit, type Db } from "@mkt/db";
import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { OrgScope } from "../auth/scope";
import { customerScopeWhere } from "../auth/scope-query";
import { DomainError } from "../domain-error";
import { decodeCsv } from "../import/csv";
import { enumCodes } from "./definitions";

export const MAX_TAG_VALUE_ROWS = 200_000;
/** At most this many problems are returned (the count says how many there were). */
const MAX_REPORTED = 500;

const CUSTOMER_HEADERS = ["customer_no", "客户号"];
const VALUE_HEADERS = ["value", "标签值", "值"];

export interface TagValueProblem {
  line: number;
  field: "customer_no" | "value" | null;
  message: string;
}

export type TagValueImportResult =
  | { applied: true; rows: number; source: string }
  | { applied: false; problems: TagValueProblem[]; problemCount: number };

export const tagValueFileInput = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
  /** The file's bytes, base64 (UTF-8 or GB18030). */
  contentBase64: z.base64().max(Math.ceil((8 * 1024 * 1024) / 3) * 4, "the file is larger than 8 MB"),
});

type Parsed = { num: number | null; text: string | null } | { error: string };

function valueParser(valueType: string, enumValues: string[] | undefined): (raw: string) => Parsed {
  switch (valueType) {
    case "BOOLEAN":
      return (raw) => {
        const v = raw.toLowerCase();
        if (["true", "1", "y", "yes", "是"].includes(v)) return { num: 1, text: null };
        if (["false", "0", "n", "no", "否"].includes(v)) return { num: 0, text: null };
        return { error: `"${raw}" is not a yes/no value (true/false, 1/0, 是/否)` };
      };
    case "NUMBER":
      return (raw) => {
        const n = Number(raw.replace(/,/g, ""));
        return raw !== "" && Number.isFinite(n) ? { num: n, text: null } : { error: `"${raw}" is not a number` };
      };
    case "DATE":
      return (raw) => {
        const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : NaN;
        if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== raw) return { error: `"${raw}" is not a date (YYYY-MM-DD)` };
        return { num: Math.round(ms / 86_400_000), text: null };
      };
    case "ENUM":
      return (raw) => (enumValues?.includes(raw) ? { num: null, text: raw } : { error: `"${raw}" is not one of the tag's values (${(enumValues ?? []).join(", ")})` });
    default:
      return (raw) => (raw.length <= 200 ? { num: null, text: raw } : { error: "text longer than 200 characters" });
  }
}

export async function importTagValues(db: Db, actor: Actor, scope: OrgScope, tagId: number, file: z.infer<typeof tagValueFileInput>): Promise<TagValueImportResult> {
  const tag = await db.tag.findUnique({ where: { id: tagId } });
  if (!tag) throw new DomainError("NOT_FOUND", "tag not found");
  if (tag.sourceKind !== "IMPORTED") throw new DomainError("BAD_REQUEST", `${tag.code} is a ${tag.sourceKind} tag: only IMPORTED tags take values from a file`);
  if (tag.status === "RETIRED") throw new DomainError("PRECONDITION_FAILED", "the tag is retired");

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decodeCsv(Buffer.from(file.contentBase64, "base64")), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw new DomainError("BAD_REQUEST", `not a readable CSV file: ${err.message}`);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new DomainError("BAD_REQUEST", "the file is empty");
  const names = header.record.map((h) => h.toLowerCase());
  const ci = names.findIndex((h) => CUSTOMER_HEADERS.includes(h));
  const vi = names.findIndex((h) => VALUE_HEADERS.includes(h));
  if (ci < 0 || vi < 0) throw new DomainError("BAD_REQUEST", "line 1: the header must name the columns customer_no and value (客户号, 标签值)");
  if (rows.length > MAX_TAG_VALUE_ROWS) throw new DomainError("BAD_REQUEST", `more than ${MAX_TAG_VALUE_ROWS} rows`);

  const problems: TagValueProblem[] = [];
  const seen = new Map<string, number>();
  const parseValue = valueParser(tag.valueType, enumCodes(tag.enumValues));
  const good: { line: number; customerNo: string; num: number | null; text: string | null }[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const customerNo = record[ci] ?? "";
    const raw = record[vi];
    if (record.length !== header.record.length) problems.push({ line, field: null, message: `${record.length} columns, the header has ${header.record.length}` });
    else if (!customerNo) problems.push({ line, field: "customer_no", message: "customer number is empty" });
    else if (seen.has(customerNo)) problems.push({ line, field: "customer_no", message: `customer ${customerNo} is already on line ${seen.get(customerNo)}` });
    else {
      seen.set(customerNo, line);
      const v = parseValue(raw ?? "");
      if ("error" in v) problems.push({ line, field: "value", message: v.error });
      else good.push({ line, customerNo, ...v });
    }
  }

  const ids = new Map<string, number>();
  for (let i = 0; i < good.length; i += 10_000) {
    const chunk = good.slice(i, i + 10_000).map((g) => g.customerNo);
    const found = await db.customer.findMany({ where: { customerNo: { in: chunk }, ...customerScopeWhere(scope) }, select: { id: true, customerNo: true } });
    for (const c of found) ids.set(c.customerNo, c.id);
  }
  for (const g of good) if (!ids.has(g.customerNo)) problems.push({ line: g.line, field: "customer_no", message: `no customer ${g.customerNo} in your scope` });
  if (problems.length) {
    problems.sort((a, b) => a.line - b.line);
    return { applied: false, problems: problems.slice(0, MAX_REPORTED), problemCount: problems.length };
  }

  const source = `file:${file.fileName}`;
  await db.$transaction(async (tx) => {
    await tx.tagSourceValue.deleteMany({ where: { tagId } });
    for (let i = 0; i < good.length; i += 10_000) {
      await tx.tagSourceValue.createMany({
        data: good.slice(i, i + 10_000).map((g) => ({ tagId, customerId: ids.get(g.customerNo)!, valueNum: g.num, valueText: g.text, source })),
      });
    }
    await writeAudit(tx, { action: "IMPORT", actor, targetType: "tag", targetId: tag.code, details: { rows: good.length, fileName: file.fileName } });
  });
  return { applied: true, rows: good.length, source };
}
