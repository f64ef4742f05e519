/** Measurement helpers shared by the benchmarks: peak RSS sampling and latency percentiles. */

/** Samples resident memory every `everyMs` and keeps the peak; `stop()` returns it in MiB. */
export function trackPeakRss(everyMs = 25): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak / 2 ** 20;
    },
  };
}

/** Nearest-rank percentile of a list of samples (sorted in place). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  const rank = Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1));
  return samples[rank] ?? Number.NaN;
}

export function formatRate(count: number, seconds: number): string {
  return Math.round(count / seconds).toLocaleString('en-US');
}
