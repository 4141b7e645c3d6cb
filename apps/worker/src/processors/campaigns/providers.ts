/**
 * The channel providers of this worker process: the live protocol clients where the channel
 * environment says `live` (camp-channels' createChannelProvider), else — the demo's default — the
 * sandbox provider: it accepts everything, records each accepted contact id in PostgreSQL
 * (`sandbox_message`, so lost and duplicated sends are counted across worker kills) and reports
 * simulated receipts, clicks and conversions through `recordContactEvent`. It can also say which
 * contact ids it already accepted, which the dispatcher uses to recover a crash between the
 * provider's acceptance and its own commit.
 */
import type { Db } from "@mkt/db";
import type { ContactEventInput } from "@mkt/core/campaigns/channels/events";
import { recordContactEvent } from "@mkt/core/campaigns/channels/record-event";
import { channelEnv } from "@mkt/core/campaigns/channels/env";
import { channelMode, createChannelProvider } from "@mkt/core/campaigns/channels/index";
import type { Channel, ChannelProvider } from "@mkt/core/campaigns/channels/provider";
import { DbLedger, SandboxProvider } from "@mkt/core/campaigns/channels/sandbox";
import type { ReconcilingProvider } from "@mkt/core/campaigns/dispatch/types";

export class ReconcilingSandbox extends SandboxProvider implements ReconcilingProvider {
  constructor(
    channel: Channel,
    private readonly db: Db,
    simulateEvents = true,
  ) {
    const env = channelEnv();
    super(channel, {
      seed: env.SANDBOX_SEED,
      rates: { delivered: env.SANDBOX_DELIVERED_RATE, clicked: env.SANDBOX_CLICK_RATE, converted: env.SANDBOX_CONVERSION_RATE },
      ledger: new DbLedger(db),
      // Receipts arrive after the send, as they would from a gateway: not awaited, because the
      // dispatcher writes a chunk's contact rows only after the provider answered (in the same
      // transaction) — a receipt for a row not yet committed is redelivered later, as gateways do.
      ...(simulateEvents ? { record: async (events: ContactEventInput[]) => void recordWhenCommitted(db, events).catch(() => undefined) } : {}),
    });
  }

  async findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT contact_id::text AS id FROM sandbox_message WHERE contact_id = ANY(${contactIds.map((i) => BigInt(i))}::bigint[])`;
    return new Map(rows.map((r) => [r.id, `sbx-${r.id}`]));
  }
}

/**
 * Records simulated events once their contacts exist: checked after 20 ms, then at doubling
 * intervals (≈ 20 s in all) — a chunk's rows commit a few milliseconds after the provider call; a
 * chunk whose attempt died is written by its retry under the same contact ids.
 */
async function recordWhenCommitted(db: Db, events: ContactEventInput[]): Promise<void> {
  let pending = events;
  for (let i = 0, delay = 20; i < 10 && pending.length; i++, delay *= 2) {
    await new Promise((r) => setTimeout(r, delay).unref());
    const ids = [...new Set(pending.map((e) => e.contactId))];
    const rows = await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM contact WHERE id = ANY(${ids.map((id) => BigInt(id))}::bigint[])`;
    const known = new Set(rows.map((r) => r.id));
    const ready = pending.filter((e) => known.has(e.contactId));
    if (ready.length) await recordContactEvent(db, ready);
    pending = pending.filter((e) => !known.has(e.contactId));
  }
}

export function providerRegistry(db: Db, simulateEvents = true): { provider(channel: Channel): ChannelProvider; close(): Promise<void> } {
  const providers = new Map<Channel, ChannelProvider>();
  return {
    provider(channel) {
      let p = providers.get(channel);
      if (!p) {
        p = channelMode(channel) === "live" ? createChannelProvider(channel, { db }) : new ReconcilingSandbox(channel, db, simulateEvents);
        providers.set(channel, p);
      }
      return p;
    },
    async close() {
      await Promise.all([...providers.values()].map((p) => p.close()));
    },
  };
}
