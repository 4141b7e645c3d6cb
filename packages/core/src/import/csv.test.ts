import { describe, expect, it } from "vitest";
import { readCsvRows } from "./csv";
import type { RowIssue } from "./issues";
import type { SourceRow } from "./source";

async function read(text: string | Uint8Array, kind: "CUSTOMERS" | "ACCOUNTS" = "CUSTOMERS") {
  const issues: RowIssue[] = [];
  const rows: SourceRow[] = [];
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for await (const r of readCsvRows(kind, bytes, { onIssue: (i) => issues.push(i) })) rows.push(r);
  return { rows, issues };
}

const HEADER = "source_key,name,cert_no,phone,org_unit_code";

describe("readCsvRows", () => {
  it("reads UTF-8 with a BOM; lines count the header as line 1; quoted newlines keep the start line", async () => {
    const { rows, issues } = await read(`\ufeff${HEADER}\nC1,张三,,13800138000,BR01\n\nC2,"李\n四",,,BR01\nC3,王五,,,BR01\n`);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.line, r.values.source_key])).toEqual([
      [2, "C1"],
      [4, "C2"],
      [6, "C3"],
    ]);
    expect(rows[1]!.values.name).toBe("李\n四");
  });

  it("reads GBK files (Excel on Chinese Windows)", async () => {
    // "C1,张三,,,BR01" with 张三 in GBK (D5 C5 C8 FD)
    const gbk = new Uint8Array([...new TextEncoder().encode(`${HEADER}\nC1,`), 0xd5, 0xc5, 0xc8, 0xfd, ...new TextEncoder().encode(",,,BR01\n")]);
    const { rows, issues } = await read(gbk);
    expect(issues).toEqual([]);
    expect(rows[0]!.values.name).toBe("张三");
  });

  it("accepts Chinese or English labels as headers", async () => {
    const { rows, issues } = await read("源系统客户编号,姓名,Org unit code\nC1,张三,BR01\n");
    expect(issues).toEqual([]);
    expect(rows[0]!.values).toEqual({ source_key: "C1", name: "张三", org_unit_code: "BR01" });
  });

  it("reports unknown, repeated and missing columns on line 1 and reads no rows", async () => {
    const { rows, issues } = await read("source_key,name,nickname,name\nC1,张三,x,y\n");
    expect(rows).toEqual([]);
    expect(issues).toEqual([
      { line: 1, field: null, code: "UNKNOWN_COLUMN", params: { column: "nickname" } },
      { line: 1, field: "name", code: "DUPLICATE_COLUMN", params: { column: "name" } },
      { line: 1, field: "org_unit_code", code: "MISSING_COLUMN", params: { column: "org_unit_code" } },
    ]);
  });

  it("reports wrong column counts and bad quotes per line and keeps reading after them", async () => {
    const { rows, issues } = await read(
      [HEADER, "C1,张三,,,BR01", "C2,李四", 'C3,"王"五,,,BR01', "C4,赵六,,,BR01", 'C5,"钱七,,,BR01', "C6,孙八,,,BR01", 'C7,"周\n九",,,BR01', ""].join("\n"),
    );
    expect(issues).toEqual([
      { line: 3, field: null, code: "CSV_WRONG_COLUMN_COUNT", params: { expected: 5, got: 2 } },
      { line: 4, field: null, code: "CSV_BAD_QUOTES" },
      { line: 6, field: null, code: "CSV_BAD_QUOTES" },
    ]);
    expect(rows.map((r) => [r.line, r.values.source_key])).toEqual([
      [2, "C1"],
      [5, "C4"],
      [7, "C6"],
      [8, "C7"],
    ]);
  });

  it("an empty file or a header alone is EMPTY_FILE", async () => {
    expect((await read("")).issues).toEqual([{ line: 1, field: null, code: "EMPTY_FILE" }]);
    expect((await read(`${HEADER}\n`)).issues).toEqual([{ line: 1, field: null, code: "EMPTY_FILE" }]);
  });
});
