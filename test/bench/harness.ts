/** Small measuring tools shared by the contenders. */

/**
 * Calls `work(i)` for i in [0, n) with at most `concurrency` calls in flight. On the first
 * failure no new call starts; the in-flight ones settle before the error is rethrown.
 */
export async function runBounded(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < n && !failure) {
      try {
        await work(next++);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}

/** Samples this process's RSS every 100 ms; `stop()` returns the peak in MiB (child processes: proc-stats.ts). */
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

/** "insert operation_runs", "update worker_heartbeats", …: the verb and the first table named. */
export function describeSql(sql: unknown): string {
  if (typeof sql !== 'string') return 'query builder';
  const verb = sql.trim().split(/\s+/, 1)[0].toLowerCase();
  const table = /\b(?:into|from|update)\s+([a-z_][a-z0-9_.]*)/i.exec(sql)?.[1] ?? '?';
  return `${verb} ${table}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
