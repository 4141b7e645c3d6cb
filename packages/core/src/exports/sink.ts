/**
 * Where export bytes go: a CSV or XLSX file behind one small interface. Rows are encoded by the
 * caller into `out` (encode.ts, synchronously, row by row); `flush` hands the filled 1 MB buffers
 * to the output (never a partly filled one: a write per socket read would cost more than the
 * rows) and waits while the output holds more than its queue (`CSV_QUEUE`, `QUEUE`) — that wait is the
 * back-pressure that keeps memory flat. Up to a queue of bytes may wait in the output (or the
 * compressor) so that writing, compressing and encoding overlap on different cores.
 */
import { once } from "node:events";
import { WriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { xmlText } from "./cells";
import { ByteOut, CsvEncoder, XlsxEncoder, type Encoder, type ExportFormat } from "./encode";
import { ZipWriter, type ZipEntryStream } from "./zip";

export type { ExportFormat } from "./encode";
export { XLSX_MAX_ROWS } from "./encode";

/**
 * Bytes that may wait in the compressor (XLSX) before `flush` waits: enough for deflate on the
 * thread pool to overlap the encoding. A CSV file write needs less (`CSV_QUEUE`).
 */
export const QUEUE = 8 << 20;
export const CSV_QUEUE = 2 << 20;

export interface RowSink {
  readonly out: ByteOut;
  readonly encoder: Encoder;
  /** Hands over the filled buffers; returns a promise only when there is something to wait for. */
  flush(): Promise<void> | void;
  end(): Promise<void>;
}

/**
 * Writes the buffers. A file stream is done with a buffer when its write callback runs (the bytes
 * are in the file): those buffers go back to `out` for reuse. Other streams (a Transform passes
 * its chunks on) keep theirs.
 */
function writeAll(output: Writable, bufs: Buffer[], out: ByteOut, queue: number): Promise<void> | void {
  const reuse = output instanceof WriteStream;
  for (const b of bufs) output.write(b, reuse ? () => out.recycle(b) : undefined);
  if (output.writableLength > queue) return once(output, "drain").then(() => undefined);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** CSV, UTF-8 with a byte-order mark (Excel then reads Chinese correctly), CRLF line ends. */
export class CsvSink implements RowSink {
  readonly out = new ByteOut();
  readonly encoder = new CsvEncoder();

  constructor(
    private readonly output: Writable,
    header: readonly string[],
  ) {
    this.out.room(3);
    this.out.bytes(BOM, 0, 3);
    for (let k = 0; k < header.length; k++) {
      this.encoder.column(this.out, k);
      this.encoder.cell(this.out, k, header[k]!);
    }
    this.encoder.endRow(this.out);
  }

  flush(all = false): Promise<void> | void {
    const bufs = this.out.take(all);
    if (bufs.length) return writeAll(this.output, bufs, this.out, CSV_QUEUE);
  }

  async end(): Promise<void> {
    await this.flush(true);
  }
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


/**
 * XLSX (Office Open XML) written as a stream: one worksheet of inline strings and numbers, the
 * header row bold and frozen. No shared-string table, so nothing grows with the row count.
 */
export class XlsxSink implements RowSink {
  readonly out = new ByteOut();
  readonly encoder: XlsxEncoder;
  private sheet: ZipEntryStream | null = null;
  private readonly zip: ZipWriter;
  private readonly started: Promise<void>;

  constructor(
    output: Writable,
    header: readonly string[],
    sheetName = "Sheet1",
  ) {
    this.zip = new ZipWriter(output);
    this.encoder = new XlsxEncoder(header.length);
    this.out.utf8(SHEET_START);
    this.encoder.header(this.out, header);
    this.started = this.start(sheetName);
  }

  private async start(sheetName: string): Promise<void> {
    await this.zip.addFile("[Content_Types].xml", CONTENT_TYPES);
    await this.zip.addFile("_rels/.rels", ROOT_RELS);
    await this.zip.addFile("xl/workbook.xml", workbook(sheetName));
    await this.zip.addFile("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    await this.zip.addFile("xl/styles.xml", STYLES);
    this.sheet = await this.zip.openEntry("xl/worksheets/sheet1.xml", QUEUE);
  }

  flush(all = false): Promise<void> | void {
    if (!this.sheet) return this.started.then(() => this.flush(all));
    const bufs = this.out.take(all);
    if (bufs.length) return this.sheet.write(bufs);
  }

  async end(): Promise<void> {
    this.out.utf8(SHEET_END);
    await this.started;
    await this.flush(true);
    await this.sheet!.close();
    await this.zip.finish();
  }
}

export function createSink(format: ExportFormat, out: Writable, header: readonly string[], sheetName?: string): RowSink {
  return format === "CSV" ? new CsvSink(out, header) : new XlsxSink(out, header, sheetName);
}
