import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadMessages, NAMESPACES } from "../../messages";

type Tree = { [key: string]: string | string[] | Tree };

/** Every leaf as "a.b.c" → text (arrays keep their length so lists line up too). */
function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else if (Array.isArray(value)) value.forEach((v, i) => out.set(`${path}.${i}`, v));
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** ICU arguments such as {seconds} or {count, plural, …}. */
function argumentsOf(text: string): string[] {
  return [...text.matchAll(/\{\s*([A-Za-z_][\w]*)\s*(?:,|\})/g)].map((m) => m[1]!).sort();
}

describe("console messages", async () => {
  const zhLeaves = leaves((await loadMessages("zh-CN")) as Tree);
  const enLeaves = leaves((await loadMessages("en")) as Tree);

  it("load every namespace file there is, in both languages", () => {
    for (const locale of ["zh-CN", "en"]) {
      const dir = fileURLToPath(new URL(`../../messages/${locale}/`, import.meta.url));
      const files = readdirSync(dir).map((f) => f.replace(/\.json$/, "")).sort();
      expect({ locale, files }).toEqual({ locale, files: [...NAMESPACES].sort() });
    }
  });

  it("zh-CN and en define the same keys", () => {
    expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
  });

  it("use the same ICU arguments in both languages", () => {
    for (const [key, text] of zhLeaves) {
      expect({ key, args: argumentsOf(enLeaves.get(key) ?? "") }).toEqual({ key, args: argumentsOf(text) });
    }
  });

  it("leave no message empty", () => {
    for (const [key, text] of [...zhLeaves, ...enLeaves]) expect({ key, empty: text.trim() === "" }).toEqual({ key, empty: false });
  });
});
