/** Latency percentiles and throughput for benchmark lines. */

/** The p-th percentile (0–100) of `samples` by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  runs: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  return {
    runs: samplesMs.length,
    p50_ms: round(percentile(samplesMs, 50)),
    p95_ms: round(percentile(samplesMs, 95)),
    p99_ms: round(percentile(samplesMs, 99)),
  };
}

/** Items per second, rounded to a whole number. */
export function perSecond(items: number, ms: number): number {
  return ms > 0 ? Math.round((items * 1000) / ms) : 0;
}

/** Rounds to 3 significant decimals for output (keeps small latencies readable). */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000;
}

/** Times `fn` once; returns its result and the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - t0 };
}
