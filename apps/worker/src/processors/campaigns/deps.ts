/** The dispatcher's dependencies in this worker process, built once per database client. */
import type { Db } from "@mkt/db";
import { campaignDispatchQueue, getJobsClient, type Redis } from "@mkt/jobs";
import type { DispatchDeps } from "@mkt/core/campaigns/dispatch/types";
import { campaignWorkerEnv } from "./env";
import { providerRegistry } from "./providers";
import { channelRateLimiter } from "./rate-limit";

const byDb = new WeakMap<Db, DispatchDeps & { closeProviders(): Promise<void> }>();

export function dispatchDeps(db: Db, redis: Redis): DispatchDeps & { closeProviders(): Promise<void> } {
  let deps = byDb.get(db);
  if (!deps) {
    const env = campaignWorkerEnv();
    const jobs = getJobsClient();
    const providers = providerRegistry(db);
    deps = {
      db,
      queue: campaignDispatchQueue(jobs),
      provider: providers.provider,
      rateLimiter: channelRateLimiter(redis, jobs.prefix, env.CAMPAIGN_RATE_LIMITS),
      // Until tracking's short links land: the landing page with the contact id (not personal data).
      linkFor: (contactId, url) => `${url}${url.includes("?") ? "&" : "?"}c=${contactId}`,
      workerId: env.WORKER_ID,
      staleClaimMs: env.CAMPAIGN_STALL_MS,
      closeProviders: providers.close,
    };
    byDb.set(db, deps);
  }
  return deps;
}
