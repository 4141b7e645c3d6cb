/**
 * Where export rows go: a file format behind one small interface. `row` only buffers (it is
 * called for every row, synchronously); `flush` hands the buffer to the output and waits while
 * the output is full — that wait is the back-pressure that keeps memory flat.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { csvField, xmlText, type Cell } from "./cells";
import { ZipWriter, type ZipEntryStream } from "./zip";

export type ExportFormat = "CSV" | "XLSX";

export interface RowSink {
  row(cells: readonly Cell[]): void;
  flush(): Promise<void>;
  end(): Promise<void>;
}

/** Excel's sheet limit, the header row included. */
export const XLSX_MAX_ROWS = 1_048_576;
const FLUSH_AT = 1 << 16;

async function writeText(out: Writable, text: string): Promise<void> {
  if (!out.write(text, "utf8")) await once(out, "drain");
}

/** CSV, UTF-8 with a byte-order mark (Excel then reads Chinese correctly), CRLF line ends. */
export class CsvSink implements RowSink {
  private buf = "\ufeff";

  constructor(
    private readonly out: Writable,
    header: readonly string[],
  ) {
    this.row(header);
  }

  row(cells: readonly Cell[]): void {
    let line = csvField(cells[0] ?? null);
    for (let i = 1; i < cells.length; i++) line += "," + csvField(cells[i]!);
    this.buf += line + "\r\n";
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const text = this.buf;
    this.buf = "";
    await writeText(this.out, text);
  }

  async end(): Promise<void> {
    await this.flush();
  }
}

function columnLetters(n: number): string {
  let s = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
// Style 1 = bold (the header row).
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>`;
const workbook = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName).replace(/"/g, "&quot;")}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`;
const SHEET_END = `</sheetData></worksheet>`;

const EDGE_SPACE = /^\s|\s$/;

/**
 * XLSX (Office Open XML) written as a stream: one worksheet of inline strings and numbers, the
 * header row bold and frozen. No shared-string table, so nothing grows with the row count.
 */
export class XlsxSink implements RowSink {
  private buf = "";
  private rows = 0;
  private readonly refs: string[];
  private sheet: ZipEntryStream | null = null;
  private readonly zip: ZipWriter;
  private readonly started: Promise<void>;

  constructor(
    out: Writable,
    header: readonly string[],
    sheetName = "Sheet1",
  ) {
    this.zip = new ZipWriter(out);
    this.refs = header.map((_h, i) => columnLetters(i));
    this.write(header, ` s="1"`);
    this.started = this.start(sheetName);
  }

  private async start(sheetName: string): Promise<void> {
    await this.zip.addFile("[Content_Types].xml", CONTENT_TYPES);
    await this.zip.addFile("_rels/.rels", ROOT_RELS);
    await this.zip.addFile("xl/workbook.xml", workbook(sheetName));
    await this.zip.addFile("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    await this.zip.addFile("xl/styles.xml", STYLES);
    this.sheet = await this.zip.openEntry("xl/worksheets/sheet1.xml");
    await this.sheet.write(SHEET_START);
  }

  private write(cells: readonly Cell[], style = ""): void {
    if (this.rows >= XLSX_MAX_ROWS) throw new Error(`XLSX holds at most ${XLSX_MAX_ROWS} rows; export CSV instead`);
    const r = ++this.rows;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v === null || v === undefined) continue;
      const ref = this.refs[i]! + r;
      if (typeof v === "number") xml += `<c r="${ref}"${style}><v>${v}</v></c>`;
      else xml += `<c r="${ref}"${style} t="inlineStr"><is><t${EDGE_SPACE.test(v) ? ' xml:space="preserve"' : ""}>${xmlText(v)}</t></is></c>`;
    }
    this.buf += xml + "</row>";
  }

  row(cells: readonly Cell[]): void {
    this.write(cells);
  }

  async flush(): Promise<void> {
    await this.started;
    if (this.buf.length < FLUSH_AT) return;
    const text = this.buf;
    this.buf = "";
    await this.sheet!.write(text);
  }

  async end(): Promise<void> {
    await this.started;
    const text = this.buf + SHEET_END;
    this.buf = "";
    await this.sheet!.write(text);
    await this.sheet!.close();
    await this.zip.finish();
  }
}

export function createSink(format: ExportFormat, out: Writable, header: readonly string[], sheetName?: string): RowSink {
  return format === "CSV" ? new CsvSink(out, header) : new XlsxSink(out, header, sheetName);
}
