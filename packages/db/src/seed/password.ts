/**
 * argon2id hashes for seeded staff users, with the parameters of @mkt/core's `hashPassword`
 * (OWASP: 19 MiB, 2 iterations, 1 lane). The hash is a self-describing PHC string, so core's
 * `verifyPassword` checks it. This package cannot import @mkt/core: core's use cases depend on
 * @mkt/db, and the workspace graph must stay acyclic.
 */
import { hash } from "@node-rs/argon2";

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum upstream)

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}
