/**
 * Long-running parts of campaign dispatch in each worker process:
 * - the recovery sweep (core dispatch/recovery.ts) every CAMPAIGN_SWEEP_MS: work that Redis lost
 *   or a killed worker held is enqueued again from PostgreSQL's truth;
 * - the trigger consumer: reads the tag-change stream with the consumer group "campaigns"
 *   (entries of a dead consumer are claimed after 10 s idle), drops events already applied,
 *   turns the rest into waves of the event-triggered campaigns, processes due waves at once,
 *   then records the events as applied and acknowledges them (at least once + dedupe).
 */
import { tagChangeSchema, tagChangesStream } from "@mkt/jobs";
import { RecoverySweep } from "@mkt/core/campaigns/dispatch/recovery";
import { startTriggerWaves, type TriggerSignal } from "@mkt/core/campaigns/dispatch/trigger-waves";
import { processWave } from "@mkt/core/campaigns/dispatch/waves";
import type { ServiceContext, ServiceDefinition } from "../../processor";
import { dispatchDeps } from "./deps";
import { campaignWorkerEnv } from "./env";

export const campaignRecoverySweep: ServiceDefinition = {
  name: "campaign-recovery",
  async start({ db, redis, log }) {
    const env = campaignWorkerEnv();
    const deps = dispatchDeps(db, redis);
    const sweep = new RecoverySweep(db, deps.queue, env.CAMPAIGN_STALL_MS);
    let running: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = sweep
        .tick()
        .then((r) => r.kicked.length && log.warn({ runs: r.kicked }, "re-enqueued the work of stalled campaign runs"))
        .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "campaign recovery sweep failed"))
        .finally(() => (running = null));
    }, env.CAMPAIGN_SWEEP_MS);
    return {
      async stop() {
        clearInterval(timer);
        await running;
        await deps.closeProviders();
      },
    };
  },
};

export const GROUP = "campaigns";
const SEEN_TTL_S = 7 * 24 * 3600;

type Entry = [id: string, fields: string[]];

function toSignal([id, fields]: Entry): TriggerSignal | null {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) o[fields[i]!] = fields[i + 1]!;
  const s = tagChangeSchema.safeParse(o);
  return s.success ? { streamId: id, eventId: s.data.eventId, tag: s.data.tag, customerId: s.data.customerId, value: s.data.value } : null;
}

export async function consumeTriggerBatch(ctx: ServiceContext, entries: Entry[]): Promise<number> {
  const { db, redis, prefix } = ctx;
  const stream = tagChangesStream(prefix);
  if (!entries.length) return 0;
  const signals = entries.map(toSignal).filter((s): s is TriggerSignal => s !== null);
  const seenKey = (s: TriggerSignal) => `${prefix}:campaigns:seen:${s.eventId}:${s.tag}`;
  const seen = signals.length ? await redis.mget(...signals.map(seenKey)) : [];
  const fresh = signals.filter((_, i) => !seen[i]);
  const deps = dispatchDeps(db, redis);
  const waves = await startTriggerWaves(db, fresh);
  for (const w of waves) {
    if (w.dueAt.getTime() > Date.now() + 20) await deps.queue.enqueueWave(w.ref, { delayMs: w.dueAt.getTime() - Date.now() });
    else await processWave(deps, w.ref);
  }
  if (fresh.length) {
    const p = redis.pipeline();
    for (const s of fresh) p.set(seenKey(s), "1", "EX", SEEN_TTL_S);
    await p.exec();
  }
  // On the non-blocking connection: the reader may be blocked in XREADGROUP meanwhile.
  await redis.xack(stream, GROUP, ...entries.map((e) => e[0]));
  return waves.length;
}

export const campaignTriggerConsumer: ServiceDefinition = {
  name: "campaign-triggers",
  async start(ctx) {
    const env = campaignWorkerEnv();
    if (env.CAMPAIGN_TRIGGERS === "off") return { stop: async () => undefined };
    const reader = ctx.redis.duplicate();
    reader.on("error", () => undefined);
    const stream = tagChangesStream(ctx.prefix);
    let stopped = false;
    const ensureGroup = async () => {
      await reader.xgroup("CREATE", stream, GROUP, "0", "MKSTREAM").catch((err: Error) => {
        if (!/BUSYGROUP/.test(err.message)) throw err;
      });
    };
    // Batches are processed while the next is read (up to CAMPAIGN_TRIGGER_BATCHES at once): a
    // batch's signals never wait behind the previous batch's waves and chunks. Each batch is
    // acknowledged on its own after it is processed, so a crash still redelivers exactly the
    // unprocessed ones.
    const inflight = new Set<Promise<void>>();
    const consume = (entries: Entry[]) => {
      const p: Promise<void> = consumeTriggerBatch(ctx, entries)
        .then(() => undefined)
        .catch((err: unknown) => {
          if (!stopped) ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "trigger batch failed; redelivered after the idle time");
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    };
    const loop = async () => {
      let lastClaim = 0;
      while (!stopped) {
        try {
          while (inflight.size >= env.CAMPAIGN_TRIGGER_BATCHES) await Promise.race(inflight);
          await ensureGroup();
          if (Date.now() - lastClaim > 5_000) {
            lastClaim = Date.now();
            const claimed = (await reader.xautoclaim(stream, GROUP, env.WORKER_ID, 10_000, "0-0", "COUNT", 500)) as [string, Entry[]];
            const live = claimed[1].filter((e) => e && e[1]);
            if (live.length) consume(live);
          }
          const res = (await reader.xreadgroup("GROUP", GROUP, env.WORKER_ID, "COUNT", 500, "BLOCK", 500, "STREAMS", stream, ">")) as [string, Entry[]][] | null;
          if (res?.[0]?.[1].length) consume(res[0][1]);
        } catch (err) {
          if (stopped) break;
          ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "trigger consumer error; retrying");
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
      await Promise.all([...inflight]);
    };
    const running = loop();
    return {
      async stop() {
        stopped = true;
        reader.disconnect();
        await running;
      },
    };
  },
};
