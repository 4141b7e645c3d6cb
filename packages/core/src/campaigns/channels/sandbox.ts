/**
 * The sandbox provider — the demo's default and the reliability tests' counter. It accepts every
 * message, remembers each accepted contact id (a second acceptance of the same id is a duplicate
 * the dispatcher should never have sent), and simulates what real customers would do: delivery
 * receipts, clicks and conversions at configurable rates, deterministic for a given seed, reported
 * through `recordContactEvent` like every real channel's receipts.
 */
import { Prisma, type Db } from "@mkt/db";
import { intArrayLiteral, sqlRows } from "@mkt/db/sql-tx";
import type { Channel, ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted } from "./provider";
import type { ContactEventInput } from "./events";

export interface SandboxRates {
  /** Share of accepted messages that get a delivery receipt (the rest get DELIVERY_FAILED). */
  delivered: number;
  /** Share of delivered messages that are clicked (only messages with a link). */
  clicked: number;
  /** Share of clicked messages that convert. */
  converted: number;
}

export const DEFAULT_SANDBOX_RATES: SandboxRates = { delivered: 0.95, clicked: 0.2, converted: 0.25 };

/** Where accepted contact ids are counted; in memory by default, PostgreSQL across processes. */
export interface SandboxLedger {
  add(channel: Channel, contactIds: string[]): Promise<void>;
  counts(): Promise<SandboxCounts>;
  /** The ids among these that were accepted at least once. */
  find(contactIds: string[]): Promise<string[]>;
}

export interface SandboxCounts {
  /** Accepted messages in total (including duplicates). */
  messages: number;
  /** Distinct contact ids accepted. */
  acceptedIds: number;
  /** Contact ids accepted more than once. */
  duplicateIds: number;
}

export class MemoryLedger implements SandboxLedger {
  readonly times = new Map<string, number>();

  async add(_channel: Channel, contactIds: string[]): Promise<void> {
    for (const id of contactIds) this.times.set(id, (this.times.get(id) ?? 0) + 1);
  }

  async find(contactIds: string[]): Promise<string[]> {
    return contactIds.filter((id) => this.times.has(id));
  }

  async counts(): Promise<SandboxCounts> {
    let messages = 0;
    let duplicateIds = 0;
    for (const n of this.times.values()) {
      messages += n;
      if (n > 1) duplicateIds += 1;
    }
    return { messages, acceptedIds: this.times.size, duplicateIds };
  }
}

/** The ledger in PostgreSQL (`sandbox_message`): survives worker kills, shared by processes. */
export class DbLedger implements SandboxLedger {
  constructor(private readonly db: Db) {}

  async add(channel: Channel, contactIds: string[]): Promise<void> {
    await sqlRows(
      this.db,
      Prisma.sql`INSERT INTO sandbox_message (contact_id, channel) SELECT unnest(${intArrayLiteral(contactIds)}::bigint[]), ${channel}::"Channel"`,
    );
  }

  async find(contactIds: string[]): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT contact_id::text AS id FROM sandbox_message WHERE contact_id = ANY(${intArrayLiteral(contactIds)}::bigint[])`;
    return rows.map((r) => r.id);
  }

  async counts(): Promise<SandboxCounts> {
    const [row] = await this.db.$queryRaw<{ messages: number; ids: number; dups: number }[]>`
      SELECT coalesce(sum(n), 0)::int AS messages, count(*)::int AS ids, count(*) FILTER (WHERE n > 1)::int AS dups
      FROM (SELECT contact_id, count(*) AS n FROM sandbox_message GROUP BY contact_id) m`;
    return { messages: row?.messages ?? 0, acceptedIds: row?.ids ?? 0, duplicateIds: row?.dups ?? 0 };
  }
}

export interface SandboxOptions {
  seed?: number;
  rates?: Partial<SandboxRates>;
  ledger?: SandboxLedger;
  /** Receives the simulated events, one call per batch; normally `(e) => recordContactEvent(db, e)`. */
  record?: (events: ContactEventInput[]) => Promise<unknown>;
  now?: () => Date;
}

export class SandboxProvider implements ChannelProvider {
  readonly ledger: SandboxLedger;
  private readonly rates: SandboxRates;
  private readonly seed: number;

  constructor(
    readonly channel: Channel,
    private readonly options: SandboxOptions = {},
  ) {
    this.ledger = options.ledger ?? new MemoryLedger();
    this.rates = { ...DEFAULT_SANDBOX_RATES, ...options.rates };
    this.seed = options.seed ?? 1;
  }

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    if (messages.length === 0) return [];
    await this.ledger.add(
      this.channel,
      messages.map((m) => m.contactId),
    );
    const results = messages.map((m) => accepted(m.contactId, `sbx-${m.contactId}`));
    if (this.options.record) {
      const events = messages.flatMap((m) => this.simulate(m));
      // Accepted is accepted: a simulated receipt that cannot be written must not make the
      // dispatcher send again (the real channels behave the same way).
      if (events.length > 0) await this.options.record(events).catch(() => undefined);
    }
    return results;
  }

  counts(): Promise<SandboxCounts> {
    return this.ledger.counts();
  }

  async findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>> {
    return new Map((await this.ledger.find(contactIds)).map((id) => [id, `sbx-${id}`]));
  }

  async close(): Promise<void> {}

  /** The customer's simulated reaction: a pure function of (seed, contact id, rates). */
  simulate(message: OutboundMessage): ContactEventInput[] {
    const at = (this.options.now ?? (() => new Date()))();
    const event = (type: ContactEventInput["type"], secondsLater: number): ContactEventInput => ({
      contactId: message.contactId,
      type,
      occurredAt: new Date(at.getTime() + secondsLater * 1000),
      source: "sandbox",
    });
    if (chance(this.seed, message.contactId, 1) >= this.rates.delivered) {
      return [event("DELIVERY_FAILED", 5)];
    }
    const events = [event("DELIVERED", 5)];
    if (!message.link && this.channel !== "CALL" && this.channel !== "RM_TASK") return events;
    if (chance(this.seed, message.contactId, 2) >= this.rates.clicked) return events;
    events.push(event(message.link ? "CLICKED" : "RESPONDED", 120));
    if (chance(this.seed, message.contactId, 3) < this.rates.converted) {
      events.push(event("CONVERTED", 3600));
    }
    return events;
  }
}

/** A uniform number in [0, 1) from (seed, id, salt): FNV-1a then a murmur finaliser. */
export function chance(seed: number, id: string, salt: number): number {
  let h = (0x811c9dc5 ^ seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}
