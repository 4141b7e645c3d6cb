/**
 * A minimal streaming ZIP writer (PKWARE APPNOTE 6.3): entries are deflated through zlib (on the
 * libuv thread pool, beside the JavaScript that formats rows) and written one after another with
 * a data descriptor, so nothing is held but the current compressor's window. No ZIP64: an entry
 * or archive past 4 GiB is refused (an XLSX sheet stops at 1,048,576 rows long before that).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { createDeflateRaw, deflateRawSync, type DeflateRaw } from "node:zlib";
import { crc32 } from "@node-rs/crc32";

const LIMIT = 0xffffffff;
const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
const DEFLATE = 8;
// 1980-01-01 00:00 in DOS format: a fixed time keeps archives byte-identical for the same rows.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface EntryRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

export interface ZipEntryStream {
  /** Appends uncompressed data, waiting while the compressor holds more than its queue. */
  write(data: string | Buffer | readonly Buffer[]): Promise<void>;
  close(): Promise<void>;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: EntryRecord[] = [];

  constructor(
    private readonly out: Writable,
    private readonly level = 1,
  ) {}

  private async put(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    if (!this.out.write(buf)) await once(this.out, "drain");
  }

  private localHeader(name: Buffer): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(FLAGS, 6);
    h.writeUInt16LE(DEFLATE, 8);
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    // crc and sizes (14..25) are zero: they follow in the data descriptor
    h.writeUInt16LE(name.length, 26);
    return Buffer.concat([h, name]);
  }

  private async descriptor(e: EntryRecord): Promise<void> {
    if (e.compressed > LIMIT || e.size > LIMIT || this.offset > LIMIT) throw new Error(`zip entry ${e.name.toString()} exceeds 4 GiB (ZIP64 is not supported)`);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(e.crc >>> 0, 4);
    d.writeUInt32LE(e.compressed, 8);
    d.writeUInt32LE(e.size, 12);
    this.entries.push(e);
    await this.put(d);
  }

  /** A small entry written at once. */
  async addFile(name: string, content: string): Promise<void> {
    const data = Buffer.from(content, "utf8");
    const packed = deflateRawSync(data, { level: 6 });
    const e: EntryRecord = { name: Buffer.from(name, "utf8"), crc: crc32(data), compressed: packed.length, size: data.length, offset: this.offset };
    await this.put(this.localHeader(e.name));
    await this.put(packed);
    await this.descriptor(e);
  }

  /**
   * A large entry written as a stream; close it before the next entry. Up to `queue` bytes may
   * wait for the compressor (which runs on the libuv thread pool, beside the caller's JavaScript).
   */
  async openEntry(name: string, queue = 1 << 20): Promise<ZipEntryStream> {
    const e: EntryRecord = { name: Buffer.from(name, "utf8"), crc: 0, compressed: 0, size: 0, offset: this.offset };
    await this.put(this.localHeader(e.name));
    const deflate: DeflateRaw = createDeflateRaw({ level: this.level, memLevel: 9 });
    deflate.on("data", (chunk: Buffer) => {
      e.compressed += chunk.length;
    });
    deflate.pipe(this.out, { end: false });
    const ended = once(deflate, "end");
    return {
      write: async (data) => {
        const bufs = typeof data === "string" ? [Buffer.from(data, "utf8")] : Buffer.isBuffer(data) ? [data] : (data as readonly Buffer[]);
        for (const buf of bufs) {
          e.crc = crc32(buf, e.crc);
          e.size += buf.length;
          deflate.write(buf);
        }
        if (deflate.writableLength > queue) await once(deflate, "drain");
      },
      close: async () => {
        deflate.end();
        await ended;
        deflate.unpipe(this.out);
        this.offset += e.compressed;
        await this.descriptor(e);
      },
    };
  }

  /** Writes the central directory; the caller ends the output stream. */
  async finish(): Promise<void> {
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(0x031e, 4); // made by: UNIX, spec 3.0
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(FLAGS, 8);
      c.writeUInt16LE(DEFLATE, 10);
      c.writeUInt16LE(DOS_TIME, 12);
      c.writeUInt16LE(DOS_DATE, 14);
      c.writeUInt32LE(e.crc >>> 0, 16);
      c.writeUInt32LE(e.compressed, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
      c.writeUInt32LE(e.offset, 42);
      parts.push(c, e.name);
    }
    const dir = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(start, 16);
    await this.put(dir);
    await this.put(end);
  }
}
