import { describe, expect, it } from "vitest";
import { mask, maskAddress, maskCertNo, maskEmail, maskName, maskOpaque, maskPhone } from "./masking";

describe("masking", () => {
  it("keeps the surname of a Chinese name and the initials of a Latin one", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳娜娜")).toBe("欧***");
    expect(maskName("John Smith")).toBe("J*** S****");
  });

  it("keeps 3 + 4 digits of a phone, 6 + 4 characters of a certificate number", () => {
    expect(maskPhone("13800138000")).toBe("138****8000");
    expect(maskPhone("138-0013-8000")).toBe("138****8000");
    expect(maskCertNo("110101198001011234")).toBe("110101********1234");
  });

  it("masks e-mail, address and opaque identifiers", () => {
    expect(maskEmail("li.ming@bank.cn")).toBe("l******@bank.cn");
    expect(maskAddress("北京市朝阳区建国路88号")).toBe("北京市朝********");
    expect(maskOpaque("oWx_abcdefghijkl")).toBe("oWx***********kl");
    expect(maskOpaque("short")).toBe("*****");
  });

  it("passes empty values through and masks accounts to the last 4", () => {
    expect(mask("phone", null)).toBeNull();
    expect(mask("email", "")).toBe("");
    expect(mask("accountNo", "6222020000123456")).toBe("************3456");
  });
});
