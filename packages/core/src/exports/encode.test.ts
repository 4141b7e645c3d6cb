import { describe, expect, it } from "vitest";
import { mask } from "../auth/masking";
import { numberCell, textCell } from "./cells";
import { ByteOut, BytesMap, createEncoder, maskedWriters, OUT_CHUNK, plain, writePlain, XlsxEncoder, type Encoder } from "./encode";

/** What the slow path (cells.ts) writes for a cell of column 2. */
function slow(format: "CSV" | "XLSX", cell: string | number | null): string {
  const enc = createEncoder(format, 12);
  const o = new ByteOut();
  if (enc instanceof XlsxEncoder) enc.startRow(o);
  enc.cell(o, 2, cell);
  return Buffer.concat(o.take()).toString("utf8");
}

/** What the fast path writes, or null when it declines. */
function fast(format: "CSV" | "XLSX", write: (enc: Encoder, o: ByteOut, src: Buffer) => boolean, text: string): string | null {
  const enc = createEncoder(format, 12);
  const o = new ByteOut();
  if (enc instanceof XlsxEncoder) enc.startRow(o);
  const before = o.pos;
  const src = Buffer.concat([Buffer.from("xx"), Buffer.from(text, "utf8"), Buffer.from("yy")]);
  if (!write(enc, o, src)) {
    expect(o.pos).toBe(before);
    return null;
  }
  return Buffer.concat(o.take()).toString("utf8");
}



const TEXTS = [
  "C0000012345",
  "王小明",
  "王",
  "王😀",
  "😀王",
  "Zhang San",
  "Li, \"Lee\"\nJr",
  " 王小明",
  "王小明 ",
  "\u3000王",
  "王\u3000",
  "\u00a0王",
  "王\u2003",
  "\ufeff王",
  "王\ufffe",
  "=HYPERLINK(\"x\")",
  "+86北京",
  "-上海",
  "@SUM(A1)",
  "\t广州",
  "\r杭州",
  "a\rb",
  "a\u0001b",
  "<b>&amp;",
  "_x0041_",
  "a_b",
  "2015-03-01",
  "13812345678",
  "138 1234 5678",
  "123456",
  "1234567",
  "110101199001011234",
  "11010119900101123X",
  "AB12",
  "ABCDE",
  "62220900000000123",
  "6222 0900 0000 0012 3",
  "１２３４５６７８",
  "Ａ王",
  "é",
  "éa",
  "ä",
];

describe.each(["CSV", "XLSX"] as const)("%s byte encoder", (format) => {
  const enc = createEncoder(format, 12);

  it.each(TEXTS)("copies %j verbatim only when the slow path writes the same bytes", (text) => {
    const got = fast(format, (enc, o, src) => {
      if (!plain(enc, src, 2, src.length - 2)) return false;
      writePlain(enc, o, 2, src, 2, src.length - 2);
      return true;
    }, text);
    if (got !== null) expect(got).toBe(slow(format, textCell(text)));
  });

  it("declines every text that needs quoting, escaping, neutralising or edge whitespace", () => {
    const declined = (t: string) => {
      const src = Buffer.from(t, "utf8");
      return !plain(enc, src, 0, src.length);
    };
    for (const t of ["=1", "+1", "-1", "@a", "\ta", "\ra", ""]) expect(declined(t), t).toBe(true);
    if (format === "CSV") for (const t of ['a"b', "a,b", "a\nb", "a\rb"]) expect(declined(t), t).toBe(true);
    else for (const t of ["a&b", "a<b", "a>b", "a\rb", "a\u0001b", "_x0041_", " a", "a ", "\u00a0a", "a\ufffe", "王\u3000"]) expect(declined(t), t).toBe(true);
    for (const t of ["王小明", "C0001", "2015-03-01", "a,b".replace(",", "")]) expect(declined(t), t).toBe(false);
  });

  for (const kind of ["name", "phone", "certNo", "cardNo"] as const) {
    it.each(TEXTS)(`masks ${kind} %j exactly as mask() + textCell() do, or declines`, (text) => {
      const got = fast(format, (enc, o, src) => maskedWriters[kind](enc, o, 2, src, 2, src.length - 2), text);
      if (got !== null) expect(got).toBe(slow(format, textCell(mask(kind, text))));
    });
  }

  it("masks the usual forms on the fast path", () => {
    for (const [kind, text] of [
      ["name", "王小明"],
      ["name", "王😀"],
      ["phone", "13812345678"],
      ["certNo", "110101199001011234"],
      ["cardNo", "62220900000000123"],
    ] as const) {
      expect(fast(format, (enc, o, src) => maskedWriters[kind](enc, o, 2, src, 2, src.length - 2), text), `${kind} ${text}`).not.toBeNull();
    }
  });

  it("writes numbers as the slow path does", () => {
    for (const v of [0, -0, 1, -5, 12.5, 1234567.89, 0.1, 1e-7, 1e21, 123456789012.34, -0.01, 99999999.99]) {
      const e = createEncoder(format, 12);
      const o = new ByteOut();
      if (e instanceof XlsxEncoder) e.startRow(o);
      e.number(o, 2, v);
      expect(Buffer.concat(o.take()).toString("utf8"), String(v)).toBe(slow(format, numberCell(v)));
    }
  });
});

describe("ByteOut", () => {
  it("hands out filled parts that later writes never touch", () => {
    const o = new ByteOut();
    o.room(3);
    o.ascii("abc");
    const first = o.take();
    o.utf8("王".repeat(400_000)); // needs a fresh buffer
    o.room(2);
    o.ascii("de");
    const rest = o.take();
    expect(Buffer.concat(first).toString()).toBe("abc");
    expect(Buffer.concat(rest).toString()).toBe(`${"王".repeat(400_000)}de`);
    expect(o.pending).toBe(0);
  });
});

describe("BytesMap", () => {
  it("finds each key's value by its bytes, making it once, past several table growths", () => {
    const made: string[] = [];
    const map = new BytesMap((key) => {
      made.push(key);
      return `v:${key}`;
    });
    // ids sharing their last 8 bytes, lengths 0–40, CJK: hash collisions resolved by the bytes
    const keys = [
      ...Array.from({ length: 300 }, (_v, i) => `org_BR${String(i).padStart(2, "0")}S04`),
      ...Array.from({ length: 40 }, (_v, i) => `${"x".repeat(i)}same-end`),
      "",
      "usr_rm_br03s03",
      "客户经理王",
    ];
    for (let round = 0; round < 3; round++) {
      for (const key of keys) {
        const src = Buffer.from(`##${key}##`, "utf8");
        expect(map.get(src, 2, src.length - 2)).toBe(`v:${key}`);
      }
    }
    expect(made).toEqual(keys);
  });
});

describe("ByteOut.recycle", () => {
  it("fills a given-back buffer again, and only whole output buffers", () => {
    const o = new ByteOut();
    o.room(OUT_CHUNK - 10);
    o.ascii("a".repeat(OUT_CHUNK - 10));
    o.room(20); // the first buffer is full: a second one
    o.ascii("b".repeat(20));
    const [first] = o.take(false);
    expect(first!.length).toBe(OUT_CHUNK - 10);
    o.recycle(first!);
    o.recycle(Buffer.alloc(OUT_CHUNK - 1)); // not an output buffer: ignored
    o.room(OUT_CHUNK); // the second is too full: the recycled one is next
    expect(o.buf.buffer).toBe(first!.buffer);
    o.room(OUT_CHUNK * 2); // nothing spare: a new one
    expect(o.buf.buffer).not.toBe(first!.buffer);
    expect(o.buf.length).toBe(OUT_CHUNK * 2);
  });
});
