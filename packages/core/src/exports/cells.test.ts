import { describe, expect, it } from "vitest";
import { csvField, neutralise, numberCell, textCell, xmlText } from "./cells";

describe("export cells", () => {
  it.each(["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx"])("neutralises %j with a leading apostrophe", (text) => {
    expect(neutralise(text)).toBe(`'${text}`);
  });

  it("leaves other text, empty text and numbers alone", () => {
    expect(neutralise("王小明")).toBe("王小明");
    expect(neutralise("a=b")).toBe("a=b");
    expect(textCell("")).toBeNull();
    expect(textCell(null)).toBeNull();
    expect(numberCell(-5)).toBe(-5);
    expect(numberCell(Number.NaN)).toBeNull();
  });

  it("quotes CSV fields with quotes, commas or line breaks only", () => {
    expect(csvField("plain 文本")).toBe("plain 文本");
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField(null)).toBe("");
  });

  it("escapes XML text, keeps CR and emoji, drops illegal characters and escapes Excel's _xHHHH_", () => {
    expect(xmlText("<a & b>")).toBe("&lt;a &amp; b&gt;");
    expect(xmlText("\r杭州")).toBe("&#13;杭州");
    expect(xmlText("王😀")).toBe("王😀");
    expect(xmlText("a\u0001b\ud800c")).toBe("abc");
    expect(xmlText("_x0041_")).toBe("_x005F_x0041_");
    expect(xmlText("tab\there")).toBe("tab\there");
  });
});
