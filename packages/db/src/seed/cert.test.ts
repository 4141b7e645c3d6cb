import { describe, expect, it } from "vitest";
import { certCheckChar, decodeCertNo, isValidCertNo } from "./cert";

describe("resident ID numbers (GB 11643)", () => {
  it("accepts the standard's worked example and rejects a wrong check character", () => {
    expect(certCheckChar("11010519491231002")).toBe("X");
    expect(isValidCertNo("11010519491231002X")).toBe(true);
    expect(isValidCertNo("110105194912310021")).toBe(false);
  });

  it("rejects a lower-case x, wrong lengths and letters", () => {
    expect(isValidCertNo("11010519491231002x")).toBe(false);
    expect(isValidCertNo("11010519491231002")).toBe(false);
    expect(isValidCertNo("1101051949123100AX")).toBe(false);
  });

  it("decodes birth date and sex", () => {
    expect(decodeCertNo("11010519491231002X")).toEqual({ birthDate: "1949-12-31", gender: "F" });
    expect(decodeCertNo("440303198001015011")).toEqual({ birthDate: "1980-01-01", gender: "M" });
  });
});
