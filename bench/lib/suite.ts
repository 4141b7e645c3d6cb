/**
 * The benchmark contract (shared/docs/TARGETS.md): a suite measures its cases with a naive
 * `baseline` and the `platform` path side by side, emits one JSON line per case and variant, and
 * returns a summary whose `ok` is false when the variants disagree.
 */
import type { TempDatabases } from "./temp-db";

export interface CaseLine {
  case: string;
  variant: "baseline" | "platform";
  scale: number;
  runs: number;
  p50_ms?: number;
  p95_ms?: number;
  p99_ms?: number;
  per_s?: number;
  wall_ms?: number;
  peak_rss_mb?: number;
  [extra: string]: unknown;
}

export interface SuiteSummary {
  /** Baseline time ÷ platform time (for throughput cases: platform per_s ÷ baseline per_s). */
  speedup: number;
  /** What was compared between the variants, in words. */
  checked: string;
  ok: boolean;
  [extra: string]: unknown;
}

export interface SuiteContext {
  suite: string;
  scale: number;
  seed: number;
  /** Options after the suite name other than --scale and --seed. */
  args: Readonly<Record<string, string | boolean | undefined>>;
  /** Private migrated databases, dropped when the run ends. */
  databases: TempDatabases;
  redisUrl: string;
  /** Prefix for every Redis key the run creates; deleted when the run ends. */
  redisPrefix: string;
  /** Progress and diagnostics (stderr). */
  log(message: string): void;
  /** One result line (stdout); suite name is added. */
  emit(line: CaseLine): void;
}

export interface Suite {
  description: string;
  defaultScale: number;
  run(ctx: SuiteContext): Promise<SuiteSummary>;
}
