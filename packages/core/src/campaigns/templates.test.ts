import { describe, expect, it } from "vitest";
import { channelName, checkTemplate, previewTemplate, renderTemplate, salutation } from "./templates";

const zhang = { name: "张三丰", gender: "M" };
const ctx = { customer: zhang, productName: "稳享90天", link: "https://t.bank.example/t/7aB2c3D4e5F" };

describe("template rendering", () => {
  it("masks the name as the channel requires", () => {
    expect(channelName("SMS", zhang)).toBe("张**");
    expect(channelName("WECHAT", { name: "李四", gender: "F" })).toBe("李*");
    expect(channelName("SMS", { name: "欧阳娜娜", gender: "F" })).toBe("欧阳**");
    expect(channelName("CALL", zhang)).toBe("张先生");
    expect(channelName("EMAIL", { name: "Wang Fang", gender: "F" })).toBe("W*** F***");
    expect(salutation({ name: "王芳", gender: "F" })).toBe("王女士");
    expect(salutation({ name: "赵六", gender: "U" })).toBe("赵先生/女士");
  });

  it("renders a marketing SMS with product, link and the opt-out text appended, and counts its parts", () => {
    const r = renderTemplate({ channel: "SMS", body: "【示例银行】尊敬的{{name}}，{{product}}今日开放认购，详情{{link}}", optOutText: "回复TD退订", linkUrl: "https://bank.example/p" }, ctx);
    expect(r.body).toBe("【示例银行】尊敬的张**，稳享90天今日开放认购，详情https://t.bank.example/t/7aB2c3D4e5F 回复TD退订");
    expect(r.sms).toEqual({ coding: "UCS2", length: 70, segments: 1 }); // exactly one UCS2 part; one more character makes two
    const already = renderTemplate({ channel: "SMS", body: "{{salutation}}您好，稳享90天开放。回复TD退订", optOutText: "回复TD退订" }, ctx);
    expect(already.body).toBe("张先生您好，稳享90天开放。回复TD退订");
    expect(already.sms?.segments).toBe(1);
  });

  it("refuses a marketing SMS without the opt-out text, but not a service SMS or another channel", () => {
    expect(() => renderTemplate({ channel: "SMS", body: "{{name}}，稳享90天开放" }, ctx)).toThrow(/must carry the opt-out text \(回复TD退订\)/);
    expect(() => renderTemplate({ channel: "SMS", body: "稳享开放", optOutText: "谢谢" }, ctx)).toThrow(/opt-out text must tell how to unsubscribe/);
    expect(renderTemplate({ channel: "SMS", body: "您的验证码已发送", marketing: false }, ctx).body).toBe("您的验证码已发送");
    expect(renderTemplate({ channel: "APP_PUSH", subject: "{{product}}", body: "{{name}}您好" }, ctx)).toEqual({ subject: "稳享90天", body: "张**您好" });
  });

  it("reports unknown variables, a link without landing page, a missing e-mail subject, over-long SMS", () => {
    expect(checkTemplate({ channel: "SMS", body: "{{nmae}} {{link}} 回复TD退订" })).toEqual([
      { field: "body", message: "unknown variable {{nmae}}; use {{name}}, {{salutation}}, {{product}}, {{link}}" },
      { field: "linkUrl", message: "{{link}} needs a landing page URL" },
    ]);
    expect(checkTemplate({ channel: "EMAIL", body: "hi", linkUrl: "javascript:alert(1)" }).map((i) => i.field)).toEqual(["linkUrl", "subject"]);
    expect(checkTemplate({ channel: "SMS", body: `${"长".repeat(700)}回复TD退订` })).toEqual([{ field: "body", message: "the SMS would take 11 parts; at most 10" }]);
    expect(() => renderTemplate({ channel: "SMS", body: "{{product}} 回复TD退订" }, { customer: zhang })).toThrow(/\{\{product\}\} needs/);
  });

  it("previews for a sample customer with a link of the real length", () => {
    const p = previewTemplate({ channel: "SMS", body: "{{name}}您好，{{product}}：{{link}}", optOutText: "回复TD退订", linkUrl: "https://bank.example/p" }, { linkBaseUrl: "https://mkt.bank.example" });
    expect(p.issues).toEqual([]);
    expect(p.rendered?.body).toBe("张**您好，稳享90天：https://mkt.bank.example/t/1aB2c3D4e5F6g 回复TD退订");
    expect(previewTemplate({ channel: "SMS", body: "没有退订" })).toEqual({ rendered: null, issues: [{ field: "optOutText", message: "a marketing SMS must carry the opt-out text (回复TD退订)" }] });
    expect(previewTemplate({ channel: "CALL", body: "{{name}}您好" }, { customer: { name: "王芳", gender: "F" } }).rendered?.body).toBe("王女士您好");
  });
});
