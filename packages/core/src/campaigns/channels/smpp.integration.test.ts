/** The SMPP provider against a local SMSC on loopback, receipts recorded in a real database. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { isOptOutReply, recordSmsOptOut } from "./opt-out";
import { dbReceiptSink, type ReceiptSink } from "./receipts";
import { SmppProvider, type SmppSettings } from "./smpp";
import { TestSmsc, type TestSmscOptions } from "./testing-smsc";
import { createContactFixture } from "./testing";
import type { OutboundMessage } from "./provider";

let t: TestDb;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
afterAll(async () => {
  await t?.drop();
});

async function smsc(options: TestSmscOptions = {}): Promise<{ smsc: TestSmsc; port: number }> {
  const s = new TestSmsc(options);
  const port = await s.listen();
  open.push(s);
  return { smsc: s, port };
}

function provider(port: number, settings: Partial<SmppSettings> = {}, sink: ReceiptSink = dbReceiptSink(t.db, "SMS", "smpp")): SmppProvider {
  const p = new SmppProvider({ host: "127.0.0.1", port, systemId: "esme", password: "secret", sourceAddr: "95588", responseTimeoutMs: 2_000, reconnectMs: 50, ...settings }, sink);
  open.push(p);
  return p;
}

const sms = (contactId: bigint | number | string, to: string, body: string): OutboundMessage => ({ contactId: String(contactId), channel: "SMS", to, body });

async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const LONG_CHINESE = `【示例银行】尊敬的张**，您关注的"稳享90天"理财产品今日开放认购，业绩比较基准3.10%，起购金额1万元。${"详情请点击链接了解产品说明书与风险揭示。".repeat(4)}回复TD退订`;

describe("SMPP provider", () => {
  it("sends Chinese as UCS2, long messages in UDH parts, and records delivery receipts", async () => {
    const { smsc: s, port } = await smsc({ undeliverableNumbers: ["13900000002"] });
    const { contacts } = await createContactFixture(t.db, { count: 3 });
    const p = provider(port);
    const results = await p.sendBatch([
      sms(contacts[0]!.id, "+86 138-0000-0001", LONG_CHINESE),
      sms(contacts[1]!.id, "13900000002", "【示例银行】短消息 回复TD退订"),
      sms(contacts[2]!.id, "13700000003", "Your statement is ready {ref}"),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["ACCEPTED", "ACCEPTED", "ACCEPTED"]);
    expect(results.every((r) => r.providerMessageId?.startsWith("M"))).toBe(true);

    expect(s.messages).toHaveLength(3);
    const long = s.messages.find((m) => m.to === "8613800000001")!;
    expect(long.text).toBe(LONG_CHINESE);
    expect(long.dataCoding).toBe(8);
    expect(long.parts).toBe(Math.ceil(LONG_CHINESE.length / 67));
    expect(s.messages.find((m) => m.to === "13700000003")).toMatchObject({ text: "Your statement is ready {ref}", dataCoding: 0, parts: 1 });

    await until(async () => (await t.db.contactEvent.count({ where: { contactId: { in: contacts.map((c) => c.id) } } })) === 3);
    const events = await t.db.contactEvent.findMany({ where: { contactId: { in: contacts.map((c) => c.id) } } });
    const typeOf = (i: number) => events.find((e) => e.contactId === contacts[i]!.id)?.type;
    expect([typeOf(0), typeOf(1), typeOf(2)]).toEqual(["DELIVERED", "DELIVERY_FAILED", "DELIVERED"]);
    expect(events.find((e) => e.contactId === contacts[1]!.id)?.detail).toMatchObject({ stat: "UNDELIV" });
    // every part's id is mapped to its contact; each part's receipt was acknowledged
    expect(await t.db.providerMessage.count({ where: { contactId: contacts[0]!.id } })).toBe(long.parts);
    // recovery after a crash: the SMSC's acknowledgement is on record, under the first part's id
    expect(await provider(port).findAccepted([String(contacts[0]!.id), "999999999"])).toEqual(new Map([[String(contacts[0]!.id), results[0]!.providerMessageId]]));
    await until(() => s.receiptsAcked === long.parts + 2);
  });

  it("maps refusals to permanent and throttling to transient failures", async () => {
    const { smsc: s, port } = await smsc({ rejectNumbers: ["13800000009"], throttleNext: 1 });
    const p = provider(port, { windowSize: 1 });
    const results = await p.sendBatch([sms(1, "13800000001", "a"), sms(2, "13800000009", "b"), sms(3, "not a number", "c"), sms(4, "13800000004", "x".repeat(1600))]);
    expect(results).toEqual([
      { contactId: "1", outcome: "TRANSIENT_FAILURE", error: "smpp-status-0x58" },
      { contactId: "2", outcome: "PERMANENT_FAILURE", error: "smpp-status-0x0b" },
      { contactId: "3", outcome: "PERMANENT_FAILURE", error: "invalid-number" },
      { contactId: "4", outcome: "PERMANENT_FAILURE", error: "message-too-long" },
    ]);
    expect(s.submits).toBe(2);
  });

  it("keeps at most windowSize submits outstanding", async () => {
    const { smsc: s, port } = await smsc({ responseDelayMs: 30 });
    const p = provider(port, { windowSize: 3 }, { remember: async () => {}, receipt: async () => {} });
    const results = await p.sendBatch(Array.from({ length: 12 }, (_, i) => sms(i + 1, `138000000${String(i).padStart(2, "0")}`, "hello")));
    expect(results.every((r) => r.outcome === "ACCEPTED")).toBe(true);
    expect(s.maxOutstanding).toBe(3);
  });

  it("sends enquire_link while idle and answers transient failure when the SMSC is unreachable or refuses the bind", async () => {
    const { smsc: s, port } = await smsc();
    const p = provider(port, { enquireLinkMs: 40 }, { remember: async () => {}, receipt: async () => {} });
    await p.sendBatch([sms(1, "13800000001", "hi")]);
    await until(() => s.enquireLinks >= 2);

    const refused = provider(port, { password: "wrong" });
    expect((await refused.sendBatch([sms(1, "13800000001", "hi")]))[0]).toMatchObject({ outcome: "TRANSIENT_FAILURE", error: "bind-refused-0xe" });
    const down = provider(1, { reconnectMs: 60_000 });
    const failed = await down.sendBatch(Array.from({ length: 50 }, (_, i) => sms(i + 1, "13800000001", "hi")));
    expect(failed.every((r) => r.outcome === "TRANSIENT_FAILURE" && r.error === "smsc-unavailable")).toBe(true);
  });

  it("reconnects after the connection drops and resolves late receipts through the table, retrying unrecorded ones", async () => {
    const { smsc: s, port } = await smsc();
    const { contacts } = await createContactFixture(t.db, { count: 2 });
    s.sendReceipts = false;
    const first = provider(port);
    const r1 = await first.sendBatch([sms(contacts[0]!.id, "13800000001", "第一条")]);
    expect(r1[0]!.outcome).toBe("ACCEPTED");
    await first.close();

    // a new process: the receipt of the first message arrives on its session and is found in provider_message
    let failOnce = true;
    const sink = dbReceiptSink(t.db, "SMS", "smpp");
    const flaky: ReceiptSink = {
      remember: (rows) => sink.remember(rows),
      receipt: async (r) => {
        if (failOnce) {
          failOnce = false;
          throw new Error("database briefly unavailable");
        }
        await sink.receipt(r);
      },
    };
    const second = provider(port, {}, flaky);
    await second.sendBatch([sms(contacts[1]!.id, "13800000002", "第二条")]);
    s.dropConnections();
    await until(() => s.binds === 3); // first, second, second's background reconnect
    s.sendReceipts = true;
    s.flushReceipts();
    await until(async () => (await t.db.contact.count({ where: { id: { in: contacts.map((c) => c.id) }, status: "DELIVERED" } })) === 2);
    expect(s.receiptsRefused).toBe(1);
    const r3 = await second.sendBatch([sms(contacts[1]!.id, "13800000002", "第三条")]);
    expect(r3[0]!.outcome).toBe("ACCEPTED");
  });

  it("turns a TD reply into a withdrawn SMS marketing consent before acknowledging it", async () => {
    const { smsc: s, port } = await smsc();
    const { customers } = await createContactFixture(t.db, { count: 1 });
    const phone = customers[0]!.phone!;
    let failFirst = true;
    const p = new SmppProvider({ host: "127.0.0.1", port, systemId: "esme", password: "secret", sourceAddr: "95588" }, dbReceiptSink(t.db, "SMS", "smpp"), () => {}, async (reply) => {
      if (failFirst) {
        failFirst = false;
        throw new Error("database briefly unavailable");
      }
      if (isOptOutReply(reply.text)) await recordSmsOptOut(t.db, reply.from, reply.receivedAt);
    });
    open.push(p);
    await p.sendBatch([sms(customers[0]!.id, phone, "hello")]);
    expect(await s.sendReply(`86${phone}`, "TD")).toBe(0x64);
    expect(await t.db.consent.count({ where: { customerId: customers[0]!.id } })).toBe(0);
    expect(await s.sendReply(`86${phone}`, "TD")).toBe(0);
    expect(await t.db.consent.findUniqueOrThrow({ where: { customerId_purpose_channel: { customerId: customers[0]!.id, purpose: "MARKETING", channel: "SMS" } } })).toMatchObject({ granted: false, source: "SMS_REPLY" });
  });
});
