/**
 * The export file: an fs write stream that also takes the SHA-256 and the size of what it
 * writes, as it writes it. Being a file stream, the sink reuses each 1 MB output buffer once its
 * bytes are in the file (a Transform in front of the file would pass every buffer on, so each
 * would be a new allocation for the garbage collector).
 */
import { createHash, type Hash } from "node:crypto";
import { WriteStream } from "node:fs";

type Callback = (error?: Error | null) => void;

/** `fs.WriteStream` as `createWriteStream(path, options)` constructs it (@types/node declares no constructor). */
const FileStream = WriteStream as unknown as new (path: string, options: { flags: string }) => WriteStream;

export class HashedFileStream extends FileStream {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;

  constructor(path: string) {
    super(path, { flags: "w" });
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: Callback): void {
    this.take(chunk);
    super._write(chunk, encoding, callback);
  }

  override _writev(chunks: { chunk: Buffer; encoding: BufferEncoding }[], callback: Callback): void {
    for (const { chunk } of chunks) this.take(chunk);
    super._writev!(chunks, callback);
  }

  private take(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The SHA-256 (hex) and size of everything written; call once, after `finish`. */
  digest(): { checksum: string; bytes: number } {
    return { checksum: this.hash.digest("hex"), bytes: this.bytes };
  }
}
