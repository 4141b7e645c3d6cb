/**
 * What the dispatcher needs from its surroundings. Core never imports BullMQ or a Redis client:
 * the worker passes a `DispatchQueue` (implemented in @mkt/jobs campaigns.ts), the providers and
 * the rate limiter; the console's API passes the same queue to the use cases.
 */
import type { Db } from "@mkt/db";
import type { Channel, ChannelProvider } from "../channels/provider";

/** The customers that reached one node together (see `CampaignWave`). */
export interface WaveRef {
  runId: string;
  wave: string;
  nodeId: string;
}

/**
 * Trigger waves are keyed by the stream entry id of their first event: `t<ms>-<seq>` (a child
 * wave adds `/y`, `/A` …). Their chunks go ahead of batch chunks in the send queue.
 */
export const TRIGGER_WAVE = /^t(\d+)-\d+/;

/** One chunk of contacts of a send step: the unit of a send job (deterministic job id). */
export interface ChunkRef {
  runId: string;
  stepId: string;
  wave: string;
  chunk: number;
}

export interface EnqueueOpts {
  delayMs?: number;
  /** Distinguishes a deliberate re-enqueue (deferral, resume, recovery) from the first job. */
  suffix?: string;
}

export interface DispatchQueue {
  enqueueWave(ref: WaveRef, opts?: EnqueueOpts): Promise<void>;
  enqueueChunks(refs: ChunkRef[], opts?: EnqueueOpts): Promise<void>;
  /** A launch at a later time (schedule AT) or on a cron (RECURRING; the occurrence is the launch key). */
  scheduleLaunch(campaignId: string, when: { at: Date } | { cron: string; tz: string }): Promise<void>;
  unscheduleLaunch(campaignId: string): Promise<void>;
}

/**
 * A provider that can say which contact ids it already accepted (by the idempotency key). Used
 * after a crash between the provider's acceptance and our commit, so a recovered contact is
 * marked SENT instead of being sent again.
 */
export interface ReconcilingProvider extends ChannelProvider {
  findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>>;
}

export function canReconcile(p: ChannelProvider): p is ReconcilingProvider {
  return typeof (p as Partial<ReconcilingProvider>).findAccepted === "function";
}

export interface RateLimiter {
  /** Messages per slice for a limited channel (about half a second of its rate), or null when unlimited. */
  sliceSize(channel: Channel): number | null;
  /** Resolves when `n` more messages may go out (a negative `n` gives unused tokens back). */
  take(channel: Channel, n: number): Promise<void>;
}

export interface DispatchDeps {
  db: Db;
  queue: DispatchQueue;
  provider(channel: Channel): ChannelProvider;
  /** Per-channel rate limits (a token bucket shared by the workers). */
  rateLimiter?: RateLimiter;
  /** The personalised short link of a contact (tracking), when templates use `{{link}}`. */
  linkFor?(contactId: string, url: string): string;
  /** Identifies the sender in `Contact.claimedBy` (worker id + job attempt). */
  workerId: string;
  now?(): Date;
}

/** Contacts per send job. */
export const CHUNK_SIZE = 1_000;
/** Rows per INSERT when materialising a step. */
export const INSERT_BATCH = 20_000;
