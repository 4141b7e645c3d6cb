/**
 * App push and WeChat/WeCom through the bank's gateway: one signed JSON POST per message
 * (signature.ts), `Idempotency-Key: <contact id>` so the gateway drops a resend, at most
 * `concurrency` requests at a time. The gateway answers `{ messageId }` and later calls back
 * `/api/v1/callbacks/<channel>` (signed with the same secret) with delivery results by `requestId`.
 * Outcomes: 2xx → ACCEPTED; 4xx (bad token, unknown open id, refused content) → PERMANENT_FAILURE;
 * 408, 429, 5xx, timeouts and connection errors → TRANSIENT_FAILURE.
 */
import type { ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted, permanentFailure, transientFailure } from "./provider";
import { signedHeaders } from "./signature";

export type WebhookChannel = "APP_PUSH" | "WECHAT";

export interface WebhookSettings {
  url: string;
  secret: string;
  timeoutMs?: number;
  concurrency?: number;
}

/** What the gateway receives. `requestId` is the contact id; it comes back in callbacks. */
export interface WebhookMessage {
  requestId: string;
  channel: WebhookChannel;
  to: string;
  title?: string;
  body: string;
  link?: string;
}

export class WebhookProvider implements ChannelProvider {
  constructor(
    readonly channel: WebhookChannel,
    private readonly settings: WebhookSettings,
  ) {}

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    const results: SendResult[] = new Array(messages.length);
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const i = next++;
        results[i] = await this.sendOne(messages[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency ?? 8, messages.length) }, worker));
    return results;
  }

  async close(): Promise<void> {}

  private async sendOne(m: OutboundMessage): Promise<SendResult> {
    const payload: WebhookMessage = {
      requestId: m.contactId,
      channel: this.channel,
      to: m.to,
      ...(m.subject ? { title: m.subject } : {}),
      body: m.body,
      ...(m.link ? { link: m.link } : {}),
    };
    const body = JSON.stringify(payload);
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": m.contactId, ...signedHeaders(this.settings.secret, body) },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (e) {
      return transientFailure(m.contactId, e instanceof Error && e.name === "TimeoutError" ? "webhook-timeout" : "webhook-unreachable");
    }
    const answer = (await res.json().catch(() => ({}))) as { messageId?: unknown };
    if (res.ok) return accepted(m.contactId, typeof answer.messageId === "string" ? answer.messageId : undefined);
    const error = `webhook-${res.status}`;
    return res.status === 408 || res.status === 429 || res.status >= 500 ? transientFailure(m.contactId, error) : permanentFailure(m.contactId, error);
  }
}
