import { describe, expect, it } from "vitest";
import { chance, MemoryLedger, SandboxProvider } from "./sandbox";
import type { OutboundMessage } from "./provider";

const msg = (id: string, link = true): OutboundMessage => ({
  contactId: id,
  channel: "SMS",
  to: "13800000000",
  body: "hi",
  ...(link ? { link: "https://x/t/abc" } : {}),
});

describe("sandbox provider", () => {
  it("accepts everything and counts duplicate contact ids", async () => {
    const p = new SandboxProvider("SMS");
    const r = await p.sendBatch([msg("1"), msg("2"), msg("3")]);
    expect(r.map((x) => x.outcome)).toEqual(["ACCEPTED", "ACCEPTED", "ACCEPTED"]);
    expect(r[0]?.providerMessageId).toBe("sbx-1");
    await p.sendBatch([msg("2"), msg("4")]);
    expect(await p.counts()).toEqual({ messages: 5, acceptedIds: 4, duplicateIds: 1 });
    expect(await p.findAccepted(["2", "5"])).toEqual(new Map([["2", "sbx-2"]]));
  });

  it("simulates events at the configured rates, the same for the same seed", async () => {
    const events: string[] = [];
    const make = (seed: number) =>
      new SandboxProvider("SMS", {
        seed,
        rates: { delivered: 0.9, clicked: 0.5, converted: 0.5 },
        ledger: new MemoryLedger(),
        record: async (e) => events.push(...e.map((x) => `${x.contactId}:${x.type}`)),
      });
    const batch = Array.from({ length: 4000 }, (_, i) => msg(String(i + 1)));
    await make(7).sendBatch(batch);
    const first = [...events];
    events.length = 0;
    await make(7).sendBatch(batch);
    expect(events).toEqual(first);
    const count = (t: string) => first.filter((e) => e.endsWith(`:${t}`)).length;
    expect(count("DELIVERED") / 4000).toBeCloseTo(0.9, 1);
    expect(count("DELIVERY_FAILED") / 4000).toBeCloseTo(0.1, 1);
    expect(count("CLICKED") / count("DELIVERED")).toBeCloseTo(0.5, 1);
    expect(count("CONVERTED") / count("CLICKED")).toBeCloseTo(0.5, 1);
    events.length = 0;
    await make(8).sendBatch(batch);
    expect(events).not.toEqual(first);
  });

  it("still reports acceptance when the simulated events cannot be recorded", async () => {
    const p = new SandboxProvider("SMS", { record: async () => Promise.reject(new Error("database down")) });
    expect((await p.sendBatch([msg("1")]))[0]?.outcome).toBe("ACCEPTED");
    expect(await p.counts()).toEqual({ messages: 1, acceptedIds: 1, duplicateIds: 0 });
  });

  it("does not simulate clicks for messages without a link", () => {
    const p = new SandboxProvider("SMS", { rates: { delivered: 1, clicked: 1, converted: 1 } });
    expect(p.simulate(msg("9", false)).map((e) => e.type)).toEqual(["DELIVERED"]);
    expect(p.simulate(msg("9")).map((e) => e.type)).toEqual(["DELIVERED", "CLICKED", "CONVERTED"]);
  });

  it("chance is uniform enough", () => {
    let below = 0;
    for (let i = 0; i < 10000; i++) if (chance(1, `c${i}`, 1) < 0.3) below++;
    expect(below / 10000).toBeCloseTo(0.3, 1);
  });
});
