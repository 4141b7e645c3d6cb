import { describe, expect, it } from "vitest";
import { formatReceipt, isDeliveryReceipt, parseReceipt } from "./smpp-receipt";

describe("SMPP delivery receipts", () => {
  it("parses delivered and failed receipts", () => {
    expect(parseReceipt("id:A1B2 sub:001 dlvrd:001 submit date:2611300800 done date:2611300801 stat:DELIVRD err:000 text:hello")).toEqual({
      messageId: "A1B2",
      stat: "DELIVRD",
      err: "000",
      outcome: "DELIVERED",
    });
    expect(parseReceipt("id:9 sub:001 dlvrd:000 submit date:2611300800 done date:2611300801 stat:UNDELIV err:001 text:")?.outcome).toBe("DELIVERY_FAILED");
    expect(parseReceipt("ID:9 SUB:001 DLVRD:000 STAT:expired ERR:0")?.outcome).toBe("DELIVERY_FAILED");
  });

  it("treats intermediate states as no outcome and junk as no receipt", () => {
    expect(parseReceipt("id:9 stat:ENROUTE")?.outcome).toBeNull();
    expect(parseReceipt("hello there")).toBeNull();
  });

  it("prefers the TLVs", () => {
    expect(parseReceipt("id:WRONG stat:UNDELIV", { receiptedMessageId: "RIGHT", messageState: 2 })).toMatchObject({ messageId: "RIGHT", outcome: "DELIVERED" });
  });

  it("round-trips the SMSC's format and recognises the esm_class", () => {
    const text = formatReceipt({ messageId: "m-7", stat: "REJECTD", at: new Date("2026-11-30T08:01:00Z") });
    expect(text).toContain("done date:2611300801");
    expect(parseReceipt(text)).toMatchObject({ messageId: "m-7", outcome: "DELIVERY_FAILED" });
    expect(isDeliveryReceipt(0x04)).toBe(true);
    expect(isDeliveryReceipt(0x44)).toBe(true);
    expect(isDeliveryReceipt(0x00)).toBe(false);
    expect(isDeliveryReceipt(0x40)).toBe(false);
  });
});
