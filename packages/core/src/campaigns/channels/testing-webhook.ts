/**
 * A local app-push / WeChat gateway for tests: an HTTP server on loopback that checks our
 * signature (401 otherwise), keeps one message per Idempotency-Key, answers per recipient
 * (`invalid-*` → 400, `busy-*` → 503, `slow-*` → 429), and — when given a callback URL — posts a
 * signed delivery callback for each accepted message (`undeliverable-*` → FAILED).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, signedHeaders, TIMESTAMP_HEADER, verifySignature } from "./signature";
import type { WebhookMessage } from "./webhook";

export class TestWebhookGateway {
  readonly messages = new Map<string, WebhookMessage>();
  requests = 0;
  unauthorized = 0;
  callbacks: { status: number; body: unknown }[] = [];
  private readonly server: Server;
  private seq = 0;

  constructor(
    private readonly secret: string,
    private readonly callbackUrl?: string,
  ) {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (raw += c));
      req.on("end", () => void this.handle(req.headers, raw, (status, body) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      }));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(headers: Record<string, string | string[] | undefined>, raw: string, reply: (status: number, body: unknown) => void): Promise<void> {
    this.requests++;
    const check = verifySignature({ secret: this.secret, timestamp: String(headers[TIMESTAMP_HEADER] ?? ""), signature: String(headers[SIGNATURE_HEADER] ?? ""), body: raw, windowSeconds: 300 });
    if (!check.ok) {
      this.unauthorized++;
      return reply(401, { error: check.reason });
    }
    const m = JSON.parse(raw) as WebhookMessage;
    if (m.to.startsWith("invalid-")) return reply(400, { error: "unknown recipient" });
    if (m.to.startsWith("busy-")) return reply(503, { error: "busy" });
    if (m.to.startsWith("slow-")) return reply(429, { error: "rate limited" });
    const key = String(headers["idempotency-key"] ?? m.requestId);
    const first = !this.messages.has(key);
    if (first) this.messages.set(key, m);
    reply(200, { messageId: `GW-${key}-${++this.seq}` });
    if (first && this.callbackUrl) await this.callback(m);
  }

  private async callback(m: WebhookMessage): Promise<void> {
    const body = JSON.stringify({
      events: [{ requestId: m.requestId, status: m.to.startsWith("undeliverable-") ? "FAILED" : "DELIVERED", occurredAt: new Date().toISOString(), reason: m.to.startsWith("undeliverable-") ? "token expired" : undefined }],
    });
    const res = await fetch(this.callbackUrl!, { method: "POST", headers: { "content-type": "application/json", ...signedHeaders(this.secret, body) }, body });
    this.callbacks.push({ status: res.status, body: await res.json().catch(() => null) });
  }
}
