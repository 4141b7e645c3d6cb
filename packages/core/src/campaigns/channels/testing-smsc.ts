// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the npm smpp package ships no types; its declarations follow this file across packages
/// <reference path="./smpp-module.d.ts" />
/**
 * A local SMSC for tests (and local development): speaks SMPP 3.4 over loopback through the same
 * npm `smpp` package. It binds transceivers with one system id/password, acknowledges submit_sm
 * with message ids, reassembles concatenated parts, and sends delivery receipts (deliver_sm,
 * esm_class 0x04) — again later when the ESME answers a receipt with an error, like a real SMSC.
 * Knobs: numbers it rejects (ESME_RINVDSTADR) or cannot deliver (stat UNDELIV), throttling, a
 * response delay, dropping every connection.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import smpp, { type PDU, type Session } from "smpp";
import { formatReceipt } from "./smpp-receipt";

export interface SmscMessage {
  to: string;
  text: string;
  dataCoding: number;
  parts: number;
  messageIds: string[];
}

export interface TestSmscOptions {
  systemId?: string;
  password?: string;
  rejectNumbers?: string[];
  undeliverableNumbers?: string[];
  /** The next N submits are answered ESME_RTHROTTLED. */
  throttleNext?: number;
  responseDelayMs?: number;
  receiptDelayMs?: number;
  /** Receipts answered with an error are resent after this long. */
  receiptRetryMs?: number;
}

export class TestSmsc {
  readonly messages: SmscMessage[] = [];
  binds = 0;
  enquireLinks = 0;
  submits = 0;
  maxOutstanding = 0;
  receiptsAcked = 0;
  receiptsRefused = 0;
  /** When false, receipts are held until it is set true again (then sent on the next bind). */
  sendReceipts = true;
  private outstanding = 0;
  private seq = 0;
  /** Message ids are unique across instances, like a real SMSC's. */
  private readonly idPrefix = randomBytes(3).toString("hex").toUpperCase();
  private readonly partial = new Map<string, { parts: string[]; ids: string[]; got: number }>();
  private readonly heldReceipts: Record<string, unknown>[] = [];
  private readonly server = smpp.createServer((session) => this.onSession(session));

  constructor(readonly options: TestSmscOptions = {}) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Cuts every connection (a network failure or an SMSC restart). */
  dropConnections(): void {
    for (const s of [...this.server.sessions]) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private bound = new Set<Session>();

  private onSession(session: Session): void {
    session.on("error", () => {});
    session.on("close", () => this.bound.delete(session));
    session.on("bind_transceiver", (pdu: PDU) => {
      const ok = pdu.system_id === (this.options.systemId ?? "esme") && pdu.password === (this.options.password ?? "secret");
      session.send(pdu.response(ok ? { system_id: "TESTSMSC" } : { command_status: 0x0e }));
      if (!ok) return;
      this.binds++;
      this.bound.add(session);
      for (const r of this.heldReceipts.splice(0)) this.sendReceipt(r);
    });
    session.on("enquire_link", (pdu: PDU) => {
      this.enquireLinks++;
      session.send(pdu.response());
    });
    session.on("unbind", (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on("submit_sm", (pdu: PDU) => this.onSubmit(session, pdu));
  }

  private onSubmit(session: Session, pdu: PDU): void {
    this.submits++;
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    setTimeout(() => {
      this.outstanding--;
      const to = String(pdu.destination_addr);
      if (this.options.throttleNext && this.options.throttleNext > 0) {
        this.options.throttleNext--;
        session.send(pdu.response({ command_status: 0x58 }));
        return;
      }
      if (this.options.rejectNumbers?.includes(to)) {
        session.send(pdu.response({ command_status: 0x0b }));
        return;
      }
      const messageId = `M${this.idPrefix}${(++this.seq).toString(16).padStart(6, "0")}`;
      session.send(pdu.response({ message_id: messageId }));
      this.collect(pdu, to, messageId);
      const stat = this.options.undeliverableNumbers?.includes(to) ? "UNDELIV" : "DELIVRD";
      setTimeout(() => this.queueReceipt(to, messageId, stat), this.options.receiptDelayMs ?? 5);
    }, this.options.responseDelayMs ?? 0);
  }

  private collect(pdu: PDU, to: string, messageId: string): void {
    const sm = pdu.short_message as { udh?: Buffer[]; message: string };
    const dataCoding = Number(pdu.data_coding ?? 0);
    const concat = sm.udh?.find((u) => u[0] === 0x00);
    if (!concat) {
      this.messages.push({ to, text: sm.message, dataCoding, parts: 1, messageIds: [messageId] });
      return;
    }
    const [ref, total, seq] = [concat[2]!, concat[3]!, concat[4]!];
    const key = `${to}:${ref}`;
    const entry = this.partial.get(key) ?? { parts: new Array<string>(total).fill(""), ids: [], got: 0 };
    entry.parts[seq - 1] = sm.message;
    entry.ids.push(messageId);
    entry.got++;
    this.partial.set(key, entry);
    if (entry.got === total) {
      this.partial.delete(key);
      this.messages.push({ to, text: entry.parts.join(""), dataCoding, parts: total, messageIds: entry.ids });
    }
  }

  private queueReceipt(to: string, messageId: string, stat: string): void {
    const text = formatReceipt({ messageId, stat, at: new Date() });
    const receipt = { destination_addr: to, esm_class: 0x04, short_message: text, data_coding: 0 };
    if (!this.sendReceipts || this.bound.size === 0) this.heldReceipts.push(receipt);
    else this.sendReceipt(receipt);
  }

  /** A customer's reply (mobile-originated deliver_sm); resolves with the ESME's command_status. */
  sendReply(from: string, text: string): Promise<number> {
    const session = [...this.bound][0];
    if (!session) return Promise.reject(new Error("no bound ESME"));
    return new Promise((resolve) => session.deliver_sm({ source_addr: from, destination_addr: "95588", esm_class: 0, short_message: text }, (resp: PDU) => resolve(resp.command_status)));
  }

  /** Sends a held receipt set (e.g. after `sendReceipts` was switched back on). */
  flushReceipts(): void {
    for (const r of this.heldReceipts.splice(0)) this.sendReceipt(r);
  }

  private sendReceipt(receipt: Record<string, unknown>): void {
    const session = [...this.bound][0];
    if (!session || !this.sendReceipts) {
      this.heldReceipts.push(receipt);
      return;
    }
    session.deliver_sm({ ...receipt }, (resp: PDU) => {
      if (resp.command_status === 0) {
        this.receiptsAcked++;
        return;
      }
      this.receiptsRefused++;
      setTimeout(() => this.sendReceipt(receipt), this.options.receiptRetryMs ?? 50);
    });
  }
}
