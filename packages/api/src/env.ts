/**
 * Environment of the API's server side, parsed on first use (never at import, so importing a
 * router in a test needs no configuration).
 */
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default("mkt"),
  /** Signs session cookies; generated on first start into .data/.env. */
  BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters"),
  /** The console's public origin (cookies, CSRF origin check). */
  BETTER_AUTH_URL: z.url().default("http://localhost:3000"),
  /**
   * Sign-in requests per client address per minute (the flood limit; the per-username failure
   * lockout is separate). Raise it where many people share one address (a branch NAT, or a test
   * suite whose browsers all come from 127.0.0.1).
   */
  AUTH_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
});

export type ApiEnv = z.infer<typeof schema>;

let parsed: ApiEnv | undefined;

export function apiEnv(): ApiEnv {
  parsed ??= schema.parse(process.env);
  return parsed;
}
