/**
 * Structured logs. Job payloads are never logged whole (they are ids and parameters, but a
 * future job might carry more); the redaction list is a second line of defence for fields that
 * could hold personal data if someone logs an object carelessly.
 */
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

const REDACT = ["*.name", "*.phone", "*.mobile", "*.email", "*.certNo", "*.idNumber", "*.cardNo", "*.password", "*.token", "data"];

export function createLogger(opts: { level: string; format: "json" | "pretty"; workerId: string }): Logger {
  const options = { level: opts.level, base: { worker: opts.workerId }, redact: { paths: REDACT, censor: "[redacted]" } };
  return opts.format === "pretty" ? pino(options, pretty({ colorize: true, singleLine: true, sync: true })) : pino(options);
}
