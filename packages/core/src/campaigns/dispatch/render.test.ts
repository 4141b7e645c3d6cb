import { describe, expect, it } from "vitest";
import { DEFAULT_SMS_OPT_OUT, renderTemplate } from "./render";
import { waveEventTime } from "./send-chunk";

describe("template rendering at send time", () => {
  const sms = { channel: "SMS", subject: null, body: "{{name}}您好，{{ product }}热销中，详情 {{link}}", optOutText: "回T退订" };

  it("masks the name for written channels, fills product and link, appends the opt-out text once", () => {
    const r = renderTemplate(sms, { name: "张三丰", product: "稳健理财A", link: "https://s.bank/x1" });
    expect(r.body).toBe("张**您好，稳健理财A热销中，详情 https://s.bank/x1 回T退订");
    expect(renderTemplate({ ...sms, body: "hi 回T退订" }, { name: "李四" }).body).toBe("hi 回T退订");
  });

  it("marketing SMS always carry an opt-out text; other channels do not get one", () => {
    expect(renderTemplate({ ...sms, optOutText: null }, { name: "王五" }).body.endsWith(DEFAULT_SMS_OPT_OUT)).toBe(true);
    expect(renderTemplate({ channel: "EMAIL", subject: "{{name}}的专属推荐", body: "{{unknown}}x", optOutText: null }, { name: "王五" })).toEqual({ subject: "王*的专属推荐", body: "x" });
  });

  it("the call centre sees the full name", () => {
    expect(renderTemplate({ channel: "CALL", subject: null, body: "致电{{name}}", optOutText: null }, { name: "赵六" }).body).toBe("致电赵六");
  });

  it("trigger waves carry their event time", () => {
    expect(waveEventTime("t1796029554444-3")).toBe(1796029554444);
    expect(waveEventTime("t1796029554444-3/y")).toBe(1796029554444);
    expect(waveEventTime("main")).toBeNull();
  });
});
