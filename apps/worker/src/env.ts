/** The worker's environment, validated once at start-up: a bad value stops the process with a clear message. */
import { hostname } from "node:os";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().startsWith("postgres", "DATABASE_URL must be a postgresql:// URL"),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default("mkt"),
  /** Unique per process: names the heartbeat key and appears in logs. */
  WORKER_ID: z.string().regex(/^[\w.-]+$/).default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `pretty` for a terminal (the start command), `json` for log collectors. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** How long SIGTERM waits for active jobs before giving up. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
  /** Jobs a queue runs at once in this process, over its default (queues/*.config.ts), e.g. {"campaign-sends":2}. */
  QUEUE_CONCURRENCY: z
    .string()
    .default("{}")
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.number().int().min(1).max(256)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: 'QUEUE_CONCURRENCY must be JSON like {"campaign-sends":2} (whole numbers 1–256)' });
        return z.NEVER;
      }
    }),
});

export type WorkerEnv = z.infer<typeof schema>;

export function parseWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const result = schema.safeParse(source);
  if (!result.success) throw new Error(`invalid worker environment:\n${z.prettifyError(result.error)}`);
  return result.data;
}
