import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ListFileError, readListFile } from "./list-file";

async function xlsx(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("名单");
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("readListFile", () => {
  it("reads the named column of an XLSX sheet with spreadsheet line numbers; numbers keep every digit", async () => {
    const file = await xlsx([["姓名", "手机号"], ["张三", 13800138000], [], ["李四", { richText: [{ text: "139" }, { text: "00139000" }] }]]);
    expect(await readListFile(file, "PHONE")).toEqual([
      { line: 2, value: "13800138000" },
      { line: 4, value: "13900139000" },
    ]);
  });

  it("reads a CSV with a BOM and a header in English, and a one-column list without a header", async () => {
    expect(await readListFile(enc("\ufeffname,customer_no\nA,C001\nB, C002 \n"), "CUSTOMER_NO")).toEqual([
      { line: 2, value: "C001" },
      { line: 3, value: "C002" },
    ]);
    expect(await readListFile(enc("C001\n\nC002\n"), "CUSTOMER_NO")).toEqual([
      { line: 1, value: "C001" },
      { line: 3, value: "C002" },
    ]);
  });

  it("refuses what cannot be read as a whole, naming the problem", async () => {
    await expect(readListFile(enc(""), "PHONE")).rejects.toMatchObject({ code: "EMPTY_FILE" });
    await expect(readListFile(enc("证件号码\n1\n"), "PHONE")).rejects.toMatchObject({ code: "NO_COLUMN", line: 1 });
    await expect(readListFile(enc("手机号,手机\n1,2\n"), "PHONE")).rejects.toMatchObject({ code: "AMBIGUOUS_COLUMN" });
    await expect(readListFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), "PHONE")).rejects.toBeInstanceOf(ListFileError);
  });
});
