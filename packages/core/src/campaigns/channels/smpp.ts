// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the npm smpp package ships no types; its declarations follow this file across packages
/// <reference path="./smpp-module.d.ts" />
/**
 * SMS over SMPP 3.4: an ESME bound as transceiver to the bank's SMS gateway (SMSC).
 *
 * - `submit_sm` with `registered_delivery = 1`; GSM 7-bit or UCS2 (Chinese), long messages split
 *   into parts with a concatenation UDH (sms-encoding.ts). Once every part is acknowledged, the
 *   part ids are put on record (`ReceiptSink.remember`) so receipts find the contact and a crash
 *   right after finds the message accepted (`findAccepted`).
 * - A window: at most `windowSize` submit_sm outstanding; each waits at most `responseTimeoutMs`.
 * - `enquire_link` every `enquireLinkMs`; an unanswered one drops the connection. The SMSC's own
 *   enquire_link and unbind are answered.
 * - A lost connection fails the outstanding submits as TRANSIENT_FAILURE and is re-established in
 *   the background (backoff up to 30 s), so receipts keep flowing; the next batch binds anew.
 * - `deliver_sm` receipts are recorded before they are acknowledged; a receipt that cannot be
 *   recorded is answered ESME_RX_T_APPN so the SMSC sends it again. Replies (mobile-originated
 *   deliver_sm) go to `onReply` the same way — the factory turns "TD" into an opt-out (opt-out.ts).
 * Outcomes: status 0 → ACCEPTED; invalid address / message / parameters → PERMANENT_FAILURE;
 * throttling, queue full, system error, no response, no connection → TRANSIENT_FAILURE.
 * A submit whose response was lost may have reached the SMSC: the retry can then duplicate it
 * (SMPP 3.4 has no idempotency key) — the only at-least-once edge of the channel layer.
 * Logs carry message ids and counts, never numbers or text.
 */
import smpp, { type PDU, type Session } from "smpp";
import type { ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted, permanentFailure, transientFailure } from "./provider";
import type { ReceiptSink } from "./receipts";
import { isDeliveryReceipt, parseReceipt } from "./smpp-receipt";
import { concatUdh, MAX_SMS_PARTS, splitSms, type SmsCoding } from "./sms-encoding";

export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Sender id shown on the handset (alphanumeric or a service number). */
  sourceAddr: string;
  windowSize?: number;
  enquireLinkMs?: number;
  responseTimeoutMs?: number;
  reconnectMs?: number;
}

export type Log = (message: string, fields?: Record<string, unknown>) => void;

const ESME_RX_T_APPN = 0x64;
/** Statuses that say the message itself is wrong: resending cannot help. */
const PERMANENT_STATUS = new Set([0x01, 0x02, 0x03, 0x0a, 0x0b, 0x0c, 0x33, 0x40, 0x42, 0x43, 0x48, 0x49, 0x50, 0x51, 0x61, 0x62, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4]);
const RECENT_LIMIT = 100_000;

class SubmitError extends Error {}

function encode(text: string, coding: SmsCoding): Buffer {
  return coding === "UCS2" ? Buffer.from(text, "utf16le").swap16() : smpp.encodings.ASCII.encode(text);
}

/** Digits with an optional leading +; anything else is not a mobile number. */
export function normalizeMsisdn(to: string): string | null {
  const n = to.replace(/[\s-]/g, "");
  return /^\+?\d{5,20}$/.test(n) ? n.replace(/^\+/, "") : null;
}

export class SmppProvider implements ChannelProvider {
  readonly channel = "SMS" as const;
  private session: Session | null = null;
  private connecting: Promise<Session> | null = null;
  private closed = false;
  private enquireTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay: number;
  private readonly pending = new Set<(reason: string) => void>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** message id → contact id of this process's recent submits (receipts often beat `remember`). */
  private readonly recent = new Map<string, string>();
  private ref = 0;
  private lastConnectFailure = 0;
  private lastConnectError = "smsc-unavailable";
  private readonly s: Required<SmppSettings>;

  constructor(
    settings: SmppSettings,
    private readonly sink: ReceiptSink,
    private readonly log: Log = () => {},
    /** Mobile-originated messages (replies), acknowledged once this resolves; e.g. TD opt-outs. */
    private readonly onReply: (reply: { from: string; text: string; receivedAt: Date }) => Promise<void> = async () => {},
  ) {
    this.s = { systemType: "", windowSize: 10, enquireLinkMs: 30_000, responseTimeoutMs: 10_000, reconnectMs: 1_000, ...settings };
    this.reconnectDelay = this.s.reconnectMs;
  }

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    return Promise.all(messages.map((m) => this.sendOne(m)));
  }

  /**
   * Puts a message's part ids on record as soon as the SMSC has acknowledged all of them (so a
   * crash right after still finds it accepted). Only whole messages: a partly sent one is sent
   * again in full. A failure here is logged, never reported as a send failure (that would
   * duplicate the message); its receipts still resolve from memory in this process.
   */
  private async remember(contactId: string, ids: string[]): Promise<void> {
    try {
      await this.sink.remember(ids.map((messageId) => ({ messageId, contactId })));
    } catch (e) {
      this.log("smpp: could not remember provider message ids", { count: ids.length, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Contacts whose message the SMSC acknowledged in full (their part ids were remembered). */
  async findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>> {
    return this.sink.find ? this.sink.find(contactIds) : new Map();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(), 1_000);
      session.socket.once("close", () => {
        clearTimeout(done);
        resolve();
      });
      if (!session.unbind({}, () => session.close())) session.destroy();
    });
  }

  private async sendOne(m: OutboundMessage): Promise<SendResult> {
    const ids: string[] = [];
    const to = normalizeMsisdn(m.to);
    if (!to) return permanentFailure(m.contactId, "invalid-number");
    const { coding, parts } = splitSms(m.body);
    if (parts.length > MAX_SMS_PARTS) return permanentFailure(m.contactId, "message-too-long");
    const ref = (this.ref = (this.ref + 1) % 256);
    for (const [i, part] of parts.entries()) {
      const payload = encode(part, coding);
      let pdu: PDU;
      try {
        pdu = await this.withSlot(async () =>
          this.submit(await this.bound(), {
            source_addr_ton: /^\d+$/.test(this.s.sourceAddr) ? 0 : 5,
            source_addr: this.s.sourceAddr,
            dest_addr_ton: 0,
            dest_addr_npi: 1,
            destination_addr: to,
            esm_class: parts.length > 1 ? 0x40 : 0,
            registered_delivery: 1,
            data_coding: coding === "UCS2" ? 0x08 : 0x00,
            short_message: parts.length > 1 ? Buffer.concat([concatUdh(ref, parts.length, i + 1), payload]) : payload,
          }),
        );
      } catch (e) {
        return transientFailure(m.contactId, e instanceof SubmitError ? e.message : "smsc-unavailable");
      }
      const status = pdu.command_status;
      if (status !== 0) {
        const error = `smpp-status-0x${status.toString(16).padStart(2, "0")}`;
        return PERMANENT_STATUS.has(status) ? permanentFailure(m.contactId, error) : transientFailure(m.contactId, error);
      }
      const id = String(pdu.message_id);
      ids.push(id);
      this.recent.set(id, m.contactId);
      if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
    }
    await this.remember(m.contactId, ids);
    return accepted(m.contactId, ids[0]);
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.s.windowSize) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private submit(session: Session, params: Record<string, unknown>): Promise<PDU> {
    return new Promise((resolve, reject) => {
      const fail = (reason: string) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(new SubmitError(reason));
      };
      const timer = setTimeout(() => fail("no-response"), this.s.responseTimeoutMs);
      this.pending.add(fail);
      const written = session.submit_sm(params, (pdu) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        resolve(pdu);
      });
      if (!written) fail("connection-lost");
    });
  }

  private bound(): Promise<Session> {
    if (this.closed) return Promise.reject(new SubmitError("provider-closed"));
    if (this.session) return Promise.resolve(this.session);
    // After a failed attempt, the rest of the batch fails fast instead of each trying again.
    if (Date.now() - this.lastConnectFailure < this.reconnectDelay) return Promise.reject(new SubmitError(this.lastConnectError));
    this.connecting ??= this.connect()
      .catch((e: Error) => {
        this.lastConnectFailure = Date.now();
        this.lastConnectError = e.message;
        throw e;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private connect(): Promise<Session> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: this.s.host, port: this.s.port });
      const fail = (reason: string) => {
        clearTimeout(timer);
        session.destroy();
        reject(new SubmitError(reason));
      };
      const timer = setTimeout(() => fail("bind-timeout"), this.s.responseTimeoutMs);
      session.on("error", () => fail("smsc-unavailable"));
      session.once("connect", () => {
        session.bind_transceiver(
          { system_id: this.s.systemId, password: this.s.password, system_type: this.s.systemType, interface_version: 0x34 },
          (pdu) => {
            if (pdu.command_status !== 0) return fail(`bind-refused-0x${pdu.command_status.toString(16)}`);
            clearTimeout(timer);
            session.removeAllListeners("error");
            this.attach(session);
            resolve(session);
          },
        );
      });
    });
  }

  private attach(session: Session): void {
    this.session = session;
    this.reconnectDelay = this.s.reconnectMs;
    this.log("smpp: bound", { host: this.s.host, port: this.s.port });
    session.on("error", (e: Error) => this.log("smpp: connection error", { error: e.message }));
    session.on("close", () => this.lost(session));
    session.on("deliver_sm", (pdu: PDU) => void this.onDeliver(session, pdu));
    session.on("enquire_link", (pdu: PDU) => session.send(pdu.response()));
    session.on("unbind", (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    this.enquireTimer = setInterval(() => {
      let answered = false;
      session.enquire_link({}, () => {
        answered = true;
      });
      setTimeout(() => {
        if (!answered && this.session === session) {
          this.log("smpp: enquire_link unanswered, reconnecting");
          session.destroy();
        }
      }, this.s.responseTimeoutMs).unref();
    }, this.s.enquireLinkMs);
    this.enquireTimer.unref();
  }

  private lost(session: Session): void {
    if (this.session !== session) return;
    this.session = null;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    for (const fail of [...this.pending]) fail("connection-lost");
    if (this.closed) return;
    this.log("smpp: connection lost");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.session) return;
      this.lastConnectFailure = 0;
      this.bound().catch(() => {
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, 30_000);
        this.scheduleReconnect();
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  private async onDeliver(session: Session, pdu: PDU): Promise<void> {
    const sm = pdu.short_message as { message?: string | Buffer } | undefined;
    const text = typeof sm?.message === "string" ? sm.message : (sm?.message?.toString("latin1") ?? "");
    if (!isDeliveryReceipt(Number(pdu.esm_class ?? 0))) {
      try {
        await this.onReply({ from: String(pdu.source_addr ?? ""), text, receivedAt: new Date() });
        session.send(pdu.response());
      } catch (e) {
        this.log("smpp: reply not handled, asking the SMSC to resend", { error: e instanceof Error ? e.message : String(e) });
        session.send(pdu.response({ command_status: ESME_RX_T_APPN }));
      }
      return;
    }
    const receipt = parseReceipt(text, {
      ...(typeof pdu.receipted_message_id === "string" ? { receiptedMessageId: pdu.receipted_message_id } : {}),
      ...(typeof pdu.message_state === "number" ? { messageState: pdu.message_state } : {}),
    });
    if (!receipt?.outcome) {
      session.send(pdu.response());
      return;
    }
    try {
      const contactId = this.recent.get(receipt.messageId);
      await this.sink.receipt({
        messageId: receipt.messageId,
        ...(contactId ? { contactId } : {}),
        type: receipt.outcome,
        occurredAt: new Date(),
        detail: { stat: receipt.stat, err: receipt.err },
      });
      session.send(pdu.response());
    } catch (e) {
      this.log("smpp: receipt not recorded, asking the SMSC to resend", { messageId: receipt.messageId, error: e instanceof Error ? e.message : String(e) });
      session.send(pdu.response({ command_status: ESME_RX_T_APPN }));
    }
  }
}
