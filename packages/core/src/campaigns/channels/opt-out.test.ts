import { describe, expect, it } from "vitest";
import { isOptOutReply, nationalMobile } from "./opt-out";

describe("SMS opt-out replies", () => {
  it("recognises the unsubscribe words and nothing else", () => {
    for (const t of ["TD", "td", " T ", "退订", "R", "0000", "TD。"]) expect(isOptOutReply(t)).toBe(true);
    for (const t of ["好的", "TD退订了吗", "tdx", "", "谢谢"]) expect(isOptOutReply(t)).toBe(false);
  });

  it("normalises the sender to the national number", () => {
    expect(nationalMobile("8613800000001")).toBe("13800000001");
    expect(nationalMobile("+86 138 0000 0001")).toBe("13800000001");
    expect(nationalMobile("008613800000001")).toBe("13800000001");
    expect(nationalMobile("13800000001")).toBe("13800000001");
    expect(nationalMobile("86123")).toBe("86123");
  });
});
