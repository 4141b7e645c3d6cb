/**
 * Environment of the job contracts: where Redis is and which key prefix this deployment uses.
 * Parsed on first use (not at import) so that importing a contract never requires Redis config.
 */
import { z } from "zod";

const schema = z.object({
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  /** Namespaces every key (queues, heartbeats) so several deployments or test runs share a Redis. */
  REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default("mkt"),
});

export type JobsEnv = z.infer<typeof schema>;

let parsed: JobsEnv | undefined;

export function jobsEnv(): JobsEnv {
  parsed ??= schema.parse(process.env);
  return parsed;
}
