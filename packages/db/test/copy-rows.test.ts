/**
 * The export's COPY reader on crafted protocol bytes (no server): however the socket cuts the
 * stream — inside a message header, a tuple, the trailer, CopyDone — the rows are the same, and
 * what follows the COPY goes back to pg's parser byte for byte.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { copyRows } from "../src/exports/member-rows";

function message(code: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(code, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function tuple(id: number, fields: (string | null)[]): Buffer {
  const parts = [Buffer.alloc(2), Buffer.alloc(8)];
  parts[0]!.writeInt16BE(fields.length + 1);
  parts[1]!.writeInt32BE(4, 0);
  parts[1]!.writeInt32BE(id, 4);
  for (const f of fields) {
    const len = Buffer.alloc(4);
    if (f === null) len.writeInt32BE(-1);
    else {
      const bytes = Buffer.from(f, "utf8");
      len.writeInt32BE(bytes.length);
      parts.push(len, bytes);
      continue;
    }
    parts.push(len);
  }
  return Buffer.concat(parts);
}

const ROWS: [number, (string | null)[]][] = [
  [1, ["C1", "王小明", null]],
  [2, ["C2", "", "x".repeat(300)]],
  [7, ["C7", "李😀", "1"]],
];

/** The backend's bytes for a binary COPY of ROWS, then what pg must get back. */
function stream(): { copy: Buffer; after: Buffer } {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
  const trailer = Buffer.from([0xff, 0xff]);
  const copy = Buffer.concat([
    message("H", Buffer.from([1, 0, 3, 0, 1, 0, 1, 0, 1])),
    message("d", Buffer.concat([header, tuple(...ROWS[0]!)])),
    message("N", Buffer.from("notice\0")),
    message("d", tuple(...ROWS[1]!)),
    message("d", tuple(...ROWS[2]!)),
    message("d", trailer),
    message("c", Buffer.alloc(0)),
  ]);
  const after = Buffer.concat([message("C", Buffer.from("COPY 3\0")), message("Z", Buffer.from("I"))]);
  return { copy, after };
}

/** Feeds `chunks` to a reader through a stand-in for pg's client and connection. */
async function feed(chunks: Buffer[]) {
  const socket = Object.assign(new EventEmitter(), { pause() {}, resume() {} });
  const toPg: Buffer[] = [];
  socket.on("data", (b: Buffer) => toPg.push(Buffer.from(b)));
  const rows: [number, (string | null)[]][] = [];
  let batches = 0;
  const client = {
    query(q: { submit(c: unknown): void; handleReadyForQuery(): void }) {
      q.submit({ stream: socket, query() {} });
      for (const c of chunks) socket.emit("data", c);
      q.handleReadyForQuery();
    },
  };
  const n = await copyRows(
    client as never,
    "SELECT …",
    3,
    (id, buf, starts, lens) => rows.push([id, [0, 1, 2].map((k) => (lens[k]! < 0 ? null : buf.toString("utf8", starts[k]!, starts[k]! + lens[k]!)))]),
    () => {
      batches++;
    },
  );
  return { n, rows, toPg: Buffer.concat(toPg), batches };
}

describe("copyRows on the protocol bytes", () => {
  const { copy, after } = stream();
  const all = Buffer.concat([copy, after]);

  it("reads the rows in one piece and hands the rest to pg", async () => {
    const r = await feed([all]);
    expect(r.n).toBe(3);
    expect(r.rows).toEqual(ROWS);
    expect(r.toPg.equals(after)).toBe(true);
  });

  it("reads the same rows however the socket cuts the bytes", async () => {
    for (let cut = 1; cut < all.length; cut++) {
      const r = await feed([all.subarray(0, cut), all.subarray(cut)]);
      expect(r.rows, `cut at ${cut}`).toEqual(ROWS);
      expect(r.toPg.equals(after), `cut at ${cut}`).toBe(true);
    }
    const bytes = await feed([...all].map((b) => Buffer.from([b])));
    expect(bytes.rows).toEqual(ROWS);
    expect(bytes.toPg.equals(after)).toBe(true);
  });
});
