/**
 * The one interface every outbound channel implements. The dispatcher (camp-dispatch) resolves the
 * recipient address (`to`) at send time — it is never carried in a job payload — and hands a batch
 * to the channel's provider. Each message gets exactly one `SendResult`, in the same order.
 *
 * `outcome` tells the dispatcher what to do next:
 * - `ACCEPTED`: the provider took the message (delivery is reported later, as a contact event);
 * - `TRANSIENT_FAILURE`: try again with backoff (connection lost, throttled, gateway busy);
 * - `PERMANENT_FAILURE`: give up (invalid address, rejected content) — retrying cannot help.
 */
export const CHANNELS = ["SMS", "EMAIL", "APP_PUSH", "WECHAT", "CALL", "RM_TASK"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OutboundMessage {
  /** The campaign contact row id (one per run × customer × step × channel). */
  contactId: string;
  channel: Channel;
  /** Phone number, e-mail address, device token or open id — resolved at send time. */
  to: string;
  subject?: string;
  body: string;
  /** Personalised short link already embedded in `body`, when the template has one. */
  link?: string;
}

export type SendOutcome = "ACCEPTED" | "TRANSIENT_FAILURE" | "PERMANENT_FAILURE";

export interface SendResult {
  contactId: string;
  outcome: SendOutcome;
  providerMessageId?: string;
  /** A short machine-readable reason; never contains the recipient address or message body. */
  error?: string;
}

export interface ChannelProvider {
  readonly channel: Channel;
  sendBatch(messages: OutboundMessage[]): Promise<SendResult[]>;
  close(): Promise<void>;
  /**
   * Which of these contacts the provider already accepted (contact id → provider message id), for
   * recovering a crash between the provider's acceptance and the dispatcher's commit. Providers
   * that cannot tell (SMTP, webhooks) leave it out; the dispatcher then sends again with the same
   * contact id (the idempotency key where the far side honours one).
   */
  findAccepted?(contactIds: string[]): Promise<Map<string, string | undefined>>;
}

export const accepted = (contactId: string, providerMessageId?: string): SendResult => ({
  contactId,
  outcome: "ACCEPTED",
  ...(providerMessageId ? { providerMessageId } : {}),
});

export const transientFailure = (contactId: string, error: string): SendResult => ({
  contactId,
  outcome: "TRANSIENT_FAILURE",
  error,
});

export const permanentFailure = (contactId: string, error: string): SendResult => ({
  contactId,
  outcome: "PERMANENT_FAILURE",
  error,
});
