/** The dispatcher's dependencies in this worker process, built once per database client. */
import { createDb, type Db } from "@mkt/db";
import { closeSqlPool } from "@mkt/db/sql-tx";
import { campaignDispatchQueue, getJobsClient, type Redis } from "@mkt/jobs";
import type { DispatchDeps } from "@mkt/core/campaigns/dispatch/types";
import { shortLinkFor } from "@mkt/core/campaigns/tracking/short-link";
import { campaignWorkerEnv } from "./env";
import { providerRegistry } from "./providers";
import { channelRateLimiter } from "./rate-limit";

const byDb = new WeakMap<Db, DispatchDeps & { closeProviders(): Promise<void> }>();

export function dispatchDeps(db: Db, redis: Redis): DispatchDeps & { closeProviders(): Promise<void> } {
  let deps = byDb.get(db);
  if (!deps) {
    const env = campaignWorkerEnv();
    const jobs = getJobsClient();
    // Built at the first message that needs a link, so a worker without tracking settings still
    // runs every other job; that send then fails naming TRACKING_LINK_SECRET / TRACKING_BASE_URL
    // (or the auth fallbacks).
    let shortLink: ((contactId: string) => string) | undefined;
    // The sandbox stands for another system: it gets its own connections, never the dispatcher's
    // (a send transaction holds one while the provider is called).
    const sandboxDb = createDb(env.DATABASE_URL, { max: 4 });
    const providers = providerRegistry(sandboxDb, env.CAMPAIGN_SANDBOX_EVENTS === "on");
    deps = {
      db,
      queue: campaignDispatchQueue(jobs),
      provider: providers.provider,
      rateLimiter: channelRateLimiter(redis, jobs.prefix, env.CAMPAIGN_RATE_LIMITS),
      // Personalised short links (/t/<code>: click recorded, then the template's landing page).
      linkFor: (contactId) => (shortLink ??= shortLinkFor())(contactId),
      workerId: env.WORKER_ID,
      closeProviders: async () => {
        await providers.close();
        await closeSqlPool(sandboxDb);
        await sandboxDb.$disconnect();
      },
    };
    byDb.set(db, deps);
  }
  return deps;
}
