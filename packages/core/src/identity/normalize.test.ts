import { describe, expect, it } from "vitest";
import {
  isValidMobile,
  isValidResidentId,
  normalizeCertNo,
  normalizeName,
  normalizePhone,
  residentIdBirthDate,
  residentIdCheckChar,
  residentIdGender,
  residentIdProblem,
  toHalfWidth,
} from "./normalize";

describe("toHalfWidth", () => {
  it("maps full-width digits, letters and the ideographic space", () => {
    expect(toHalfWidth("１３８　００１３ｘＡ")).toBe("138 0013xA");
  });
});

describe("normalizeCertNo", () => {
  it("trims, drops inner spaces, upper-cases the check letter and converts full-width", () => {
    expect(normalizeCertNo(" 11010519491231002x ")).toBe("11010519491231002X");
    expect(normalizeCertNo("１１０１０５ １９４９１２３１ ００２ｘ")).toBe("11010519491231002X");
  });
});

describe("normalizePhone", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["138-0013-8000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["+86 138 0013 8000", "13800138000"],
    ["0086-13800138000", "13800138000"],
    ["8613800138000", "13800138000"],
    ["(+86)13800138000", "13800138000"],
    ["１３８００１３８０００", "13800138000"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it("leaves a non-mobile recognisable as invalid", () => {
    expect(isValidMobile(normalizePhone("010-6552-1234"))).toBe(false);
    expect(isValidMobile(normalizePhone("12800138000"))).toBe(false);
    expect(isValidMobile(normalizePhone("1380013800"))).toBe(false);
    expect(isValidMobile(normalizePhone("+86 138 0013 8000"))).toBe(true);
  });
});

describe("normalizeName", () => {
  it("collapses whitespace and upper-cases Latin letters; Chinese unchanged", () => {
    expect(normalizeName("  Li   lei ")).toBe("LI LEI");
    expect(normalizeName("张三")).toBe("张三");
    expect(normalizeName("张　三")).toBe("张 三");
  });
});

describe("resident ID (GB 11643-1999)", () => {
  it("accepts the standard's example and computes its check character", () => {
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
    expect(isValidResidentId("11010519491231002X")).toBe(true);
    expect(isValidResidentId("440524198001010013")).toBe(true);
  });

  it("reports the kind of problem", () => {
    expect(residentIdProblem("11010519491231002")).toBe("format"); // 17 characters
    expect(residentIdProblem("1101051949123100XX")).toBe("format");
    expect(residentIdProblem("01010519491231002X")).toBe("format"); // area code starts with 0
    expect(residentIdProblem("110105194902300021")).toBe("birth"); // 30 February
    expect(residentIdProblem("110105299901010011")).toBe("birth"); // in the future
    expect(residentIdProblem("110105194912310020")).toBe("checksum");
  });

  it("decodes birth date and sex", () => {
    expect(residentIdBirthDate("11010519491231002X")).toBe("1949-12-31");
    expect(residentIdGender("11010519491231002X")).toBe("F"); // 17th digit 2: even
    expect(residentIdGender("440524198001010013")).toBe("M"); // 17th digit 1: odd
  });
});
