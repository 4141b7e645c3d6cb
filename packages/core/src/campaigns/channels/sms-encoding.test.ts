import { describe, expect, it } from "vitest";
import { concatUdh, smsCoding, smsSegments, splitSms } from "./sms-encoding";

describe("SMS encoding", () => {
  it("chooses GSM 7-bit for plain text and UCS2 for Chinese", () => {
    expect(smsCoding("Hello, your code is 1234")).toBe("GSM7");
    expect(smsCoding("【示例银行】您好")).toBe("UCS2");
    expect(smsCoding("price €5 {x}")).toBe("GSM7");
  });

  it("counts segments at the single and multipart limits", () => {
    expect(smsSegments("a".repeat(160))).toEqual({ coding: "GSM7", length: 160, segments: 1 });
    expect(smsSegments("a".repeat(161)).segments).toBe(2);
    expect(smsSegments("a".repeat(306)).segments).toBe(2);
    expect(smsSegments("a".repeat(307)).segments).toBe(3);
    expect(smsSegments("€".repeat(80))).toEqual({ coding: "GSM7", length: 160, segments: 1 });
    expect(smsSegments("中".repeat(70))).toEqual({ coding: "UCS2", length: 70, segments: 1 });
    expect(smsSegments("中".repeat(71)).segments).toBe(2);
    expect(smsSegments("中".repeat(134)).segments).toBe(2);
    expect(smsSegments("中".repeat(135)).segments).toBe(3);
  });

  it("splits without breaking surrogate pairs or GSM escapes", () => {
    const text = `${"中".repeat(66)}😀${"文".repeat(10)}`;
    const { parts } = splitSms(text);
    expect(parts.join("")).toBe(text);
    expect(parts[0]).toBe("中".repeat(66));
    expect(parts[1]!.startsWith("😀")).toBe(true);
    const gsm = `${"a".repeat(152)}€bc${"d".repeat(10)}`;
    const g = splitSms(gsm);
    expect(g.parts[0]).toBe("a".repeat(152));
    expect(g.parts.join("")).toBe(gsm);
  });

  it("builds the concatenation UDH", () => {
    expect([...concatUdh(300, 3, 2)]).toEqual([5, 0, 3, 44, 3, 2]);
  });
});
