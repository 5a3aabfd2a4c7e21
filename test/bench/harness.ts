/** Small measuring tools shared by the contenders. */

/** Calls `work(i)` for i in [0, n) with at most `concurrency` calls in flight. */
export async function runBounded(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** Samples the process RSS every 100 ms; `stop()` returns the peak in MiB. */
export function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}

/** Counts calls of `target[method]` until `stop()`, which restores the method and returns the count. */
export function countCalls<T extends object>(target: T, method: keyof T & string): { stop(): number } {
  const original = target[method] as unknown as (...args: unknown[]) => unknown;
  let calls = 0;
  (target as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  return {
    stop: () => {
      (target as Record<string, unknown>)[method] = original;
      return calls;
    },
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Progress goes to stderr: stdout carries only the table and the final JSON line. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
