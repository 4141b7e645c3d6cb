/** The SMTP provider against a local smtp-server on loopback that parses and records each message. */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { recordContactEvent } from "./record-event";
import { SmtpProvider } from "./smtp";
import { createContactFixture } from "./testing";

let t: TestDb;
let server: SMTPServer;
let port: number;
const received: { to: string[]; subject: string; text: string; messageId: string; contactHeader: string; user: string }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === "mkt" && auth.password === "relay-pass") cb(null, { user: auth.username });
      else cb(new Error("invalid credentials"));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("nobody@")) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      if (address.address.startsWith("busy@")) return cb(Object.assign(new Error("try again later"), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? "",
            text: (mail.text ?? "").trim(),
            messageId: mail.messageId ?? "",
            contactHeader: String(mail.headers.get("x-campaign-contact") ?? ""),
            user: String(session.user),
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t?.drop();
});

const provider = (p = port, pass = "relay-pass") =>
  new SmtpProvider({ url: `smtp://mkt:${pass}@127.0.0.1:${p}`, from: "示例银行 <marketing@bank.example>" }, (events) => recordContactEvent(t.db, events));

describe("SMTP provider", () => {
  it("delivers the message to the relay, parsed intact, and records the relay's acceptance", async () => {
    const { contacts } = await createContactFixture(t.db, { channel: "EMAIL", count: 1 });
    const id = String(contacts[0]!.id);
    const p = provider();
    const [r] = await p.sendBatch([{ contactId: id, channel: "EMAIL", to: "zhang@example.cn", subject: "【示例银行】稳享理财开放认购", body: "尊敬的张先生：\n稳享90天今日开放。" }]);
    await p.close();
    expect(r).toEqual({ contactId: id, outcome: "ACCEPTED", providerMessageId: `<c${id}@campaign.mkt>` });
    const mail = received.find((m) => m.contactHeader === id)!;
    expect(mail).toMatchObject({ to: ["zhang@example.cn"], subject: "【示例银行】稳享理财开放认购", text: "尊敬的张先生：\n稳享90天今日开放。", messageId: `<c${id}@campaign.mkt>`, user: "mkt" });
    const event = await t.db.contactEvent.findUniqueOrThrow({ where: { contactId_type: { contactId: contacts[0]!.id, type: "DELIVERED" } } });
    expect(event.source).toBe("smtp");
  });

  it("maps 5xx to permanent, 4xx and connection failures to transient", async () => {
    const p = provider();
    const results = await p.sendBatch([
      { contactId: "1", channel: "EMAIL", to: "nobody@example.cn", body: "x" },
      { contactId: "2", channel: "EMAIL", to: "busy@example.cn", body: "x" },
      { contactId: "3", channel: "EMAIL", to: "not-an-address", body: "x" },
    ]);
    await p.close();
    expect(results).toEqual([
      { contactId: "1", outcome: "PERMANENT_FAILURE", error: "smtp-550" },
      { contactId: "2", outcome: "TRANSIENT_FAILURE", error: "smtp-451" },
      { contactId: "3", outcome: "PERMANENT_FAILURE", error: "invalid-address" },
    ]);
    const down = provider(1);
    const [r] = await down.sendBatch([{ contactId: "4", channel: "EMAIL", to: "a@example.cn", body: "x" }]);
    await down.close();
    expect(r).toMatchObject({ contactId: "4", outcome: "TRANSIENT_FAILURE" });
  });
});
