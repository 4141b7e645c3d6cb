/**
 * Peak resident memory of this process while a measured step runs: sampled every 20 ms (the
 * kernel's VmHWM cannot be reset per step), plus a final sample.
 */
export interface RssSampler {
  stop(): number;
}

export function sampleRss(intervalMs = 20): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    /** Stops sampling; returns the peak in MiB. */
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return Math.round(peak / 1048576);
    },
  };
}

/** Runs `fn` while sampling; returns its result and the peak RSS in MiB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  const sampler = sampleRss();
  try {
    const result = await fn();
    return { result, peakRssMb: sampler.stop() };
  } finally {
    sampler.stop();
  }
}
