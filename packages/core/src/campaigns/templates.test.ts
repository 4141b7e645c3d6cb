import { describe, expect, it } from "vitest";
import { channelName, checkTemplate, compileTemplate, previewTemplate, renderTemplate, salutation, templateVariables } from "./templates";

const zhang = { name: "张三丰", gender: "M" };
const ctx = { customer: zhang, productName: "稳享90天", link: "https://t.bank.example/t/7aB2c3D4e5F" };

describe("template rendering", () => {
  it("compileTemplate renders what renderTemplate renders, and refuses what it refuses", () => {
    const people = [zhang, { name: "Wang Fang", gender: "F" }, { name: "赵六", gender: "U" }];
    const templates = [
      { channel: "SMS" as const, body: "【示例银行】尊敬的{{name}}，{{product}}今日开放认购，详情{{link}}", optOutText: "回复TD退订", linkUrl: "https://bank.example/p" },
      { channel: "EMAIL" as const, subject: "{{salutation}}，{{product}}", body: "您好 {{name}}" },
      { channel: "CALL" as const, body: "{{salutation}}您好" },
    ];
    for (const t of templates) {
      const render = compileTemplate(t);
      for (const customer of people) {
        const { sms: _parts, ...expected } = renderTemplate(t, { ...ctx, customer });
        expect(render({ ...ctx, customer })).toEqual(expected);
      }
    }
    const bad = { channel: "SMS" as const, body: "{{name}}，稳享90天开放" };
    expect(() => compileTemplate(bad)(ctx)).toThrow(/must carry the opt-out text/);
    expect(() => compileTemplate({ channel: "SMS", body: "{{product}} 回复TD退订" })({ ...ctx, productName: null })).toThrow(/needs the campaign's product/);
  });

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
      { field: "body", code: "UNKNOWN_VARIABLE", variable: "nmae", message: "unknown variable {{nmae}}; use {{name}}, {{salutation}}, {{product}}, {{link}}" },
      { field: "linkUrl", code: "LINK_WITHOUT_URL", message: "{{link}} needs a landing page URL" },
    ]);
    expect(checkTemplate({ channel: "EMAIL", body: "hi", linkUrl: "javascript:alert(1)" }).map((i) => i.field)).toEqual(["linkUrl", "subject"]);
    expect(checkTemplate({ channel: "SMS", body: `${"长".repeat(700)}回复TD退订` })).toEqual([{ field: "body", code: "SMS_TOO_LONG", parts: 11, message: "the SMS would take 11 parts; at most 10" }]);
    expect(() => renderTemplate({ channel: "SMS", body: "{{product}} 回复TD退订" }, { customer: zhang })).toThrow(/\{\{product\}\} needs/);
  });

  it("catches every {{word}}: digits and underscores are unknown variables, not text sent as typed; spaces in braces are fine", () => {
    expect(checkTemplate({ channel: "APP_PUSH", subject: "{{ name }}", body: "{{product_name}} {{name1}} {{ product }}" }).map((i) => [i.field, i.variable])).toEqual([
      ["body", "product_name"],
      ["body", "name1"],
    ]);
    expect(() => renderTemplate({ channel: "APP_PUSH", body: "{{product_name}}" }, ctx)).toThrow(/unknown variable \{\{product_name\}\}/);
    expect(renderTemplate({ channel: "APP_PUSH", subject: "{{ name }}", body: "{{ product }}" }, ctx)).toEqual({ subject: "张**", body: "稳享90天" });
  });

  it("appends the opt-out text once, only to marketing SMS, and accepts every usual wording (English too)", () => {
    const r = renderTemplate({ channel: "SMS", body: "稳享90天开放。", optOutText: "拒收请回复R" }, ctx);
    expect(r.body).toBe("稳享90天开放。拒收请回复R"); // no space after a full stop
    expect(renderTemplate({ channel: "SMS", body: "hi 回T退订", optOutText: "拒收请回复R" }, ctx).body).toBe("hi 回T退订");
    expect(renderTemplate({ channel: "SMS", body: "Your deposit matures soon", optOutText: "Reply R to opt out" }, ctx).body).toBe("Your deposit matures soon Reply R to opt out");
    expect(renderTemplate({ channel: "WECHAT", body: "{{name}}您好", optOutText: "回复TD退订" }, ctx).body).toBe("张**您好");
    expect(checkTemplate({ channel: "SMS", body: "x", optOutText: "Reply to us" }).map((i) => i.code)).toEqual(["BAD_OPT_OUT", "NO_OPT_OUT"]);
  });

  it("previews for a sample customer with a link of the real length", () => {
    const p = previewTemplate({ channel: "SMS", body: "{{name}}您好，{{product}}：{{link}}", optOutText: "回复TD退订", linkUrl: "https://bank.example/p" }, { linkBaseUrl: "https://mkt.bank.example" });
    expect(p.issues).toEqual([]);
    expect(p.sendable).toBe(true);
    expect(p.rendered.body).toBe("张**您好，稳享90天：https://mkt.bank.example/t/1aB2c3D4e5F6g 回复TD退订");
    expect(previewTemplate({ channel: "CALL", body: "{{name}}您好" }, { customer: { name: "王芳", gender: "F" } }).rendered.body).toBe("王女士您好");
  });

  it("previews an unfinished template as a draft: what cannot be filled renders empty, the problems are listed, it is not sendable", () => {
    const noOptOut = previewTemplate({ channel: "SMS", body: "没有退订" });
    expect(noOptOut.rendered.body).toBe("没有退订");
    expect(noOptOut.sendable).toBe(false);
    expect(noOptOut.issues).toEqual([{ field: "optOutText", code: "NO_OPT_OUT", message: "a marketing SMS must carry the opt-out text (回复TD退订)" }]);

    const draft = previewTemplate({ channel: "EMAIL", subject: "{{name}}的专属推荐", body: "{{unknown}}x {{link}}" });
    expect(draft.rendered).toEqual({ subject: "张**的专属推荐", body: "x https://mkt.bank.example/t/1aB2c3D4e5F6g" });
    expect(draft.issues.map((i) => i.code)).toEqual(["UNKNOWN_VARIABLE", "LINK_WITHOUT_URL"]);

    const noProduct = previewTemplate({ channel: "APP_PUSH", body: "{{product}}热销中" }, { productName: null });
    expect(noProduct).toEqual({ rendered: { body: "热销中" }, issues: [], sendable: false });
    expect(templateVariables({ subject: "{{name}}", body: "{{product}} {{name}} {{x_1}}" })).toEqual(["name", "product", "x_1"]);
  });
});
