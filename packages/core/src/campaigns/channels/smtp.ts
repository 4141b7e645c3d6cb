/**
 * E-mail over SMTP through the bank's mail relay (nodemailer, pooled connections). The Message-ID
 * is derived from the contact id, so a resent message carries the same id. The relay accepting a
 * message is recorded as DELIVERED (the last hop we can see; bounces are not read back yet).
 * Outcomes: 2xx → ACCEPTED; 5xx (unknown mailbox, refused content) or an invalid address →
 * PERMANENT_FAILURE; 4xx, connection and timeout errors → TRANSIENT_FAILURE.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted, permanentFailure, transientFailure } from "./provider";
import type { ContactEventInput } from "./events";

export interface SmtpSettings {
  url: string;
  from: string;
  maxConnections?: number;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class SmtpProvider implements ChannelProvider {
  readonly channel = "EMAIL" as const;
  private readonly transport: Transporter;

  constructor(
    private readonly settings: SmtpSettings,
    /** Receives the relay's acceptances, one call per batch; normally `(e) => recordContactEvent(db, e)`. */
    private readonly record: (events: ContactEventInput[]) => Promise<unknown>,
  ) {
    const url = new URL(settings.url);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
      secure: url.protocol === "smtps:",
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      pool: true,
      maxConnections: settings.maxConnections ?? 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    const results = await Promise.all(messages.map((m) => this.sendOne(m)));
    const now = new Date();
    const delivered = results
      .filter((r) => r.outcome === "ACCEPTED")
      .map((r): ContactEventInput => ({ contactId: r.contactId, type: "DELIVERED", occurredAt: now, source: "smtp", detail: { stage: "relay" } }));
    // The messages are out: a receipt that cannot be recorded must not turn into a resend.
    if (delivered.length) await this.record(delivered).catch(() => undefined);
    return results;
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private async sendOne(m: OutboundMessage): Promise<SendResult> {
    if (!EMAIL.test(m.to)) return permanentFailure(m.contactId, "invalid-address");
    const messageId = `<c${m.contactId}@campaign.mkt>`;
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: m.to,
        subject: m.subject ?? "",
        text: m.body,
        messageId,
        headers: { "X-Campaign-Contact": m.contactId },
      });
      return (info.rejected?.length ?? 0) > 0 ? permanentFailure(m.contactId, "smtp-rejected") : accepted(m.contactId, messageId);
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      if (code && code >= 500) return permanentFailure(m.contactId, `smtp-${code}`);
      if (code && code >= 400) return transientFailure(m.contactId, `smtp-${code}`);
      return transientFailure(m.contactId, `smtp-${(e as { code?: string }).code ?? "error"}`.toLowerCase());
    }
  }
}
