// Figures about other processes (bench children, PostgreSQL, Redis) read from /proc: Linux only,
// which the benchmark machine is.
import { readdirSync, readFileSync } from 'node:fs';

const MIB_IN_KB = 1024;
/** USER_HZ: utime and stime in /proc/<pid>/stat count ticks of 10 ms (getconf CLK_TCK = 100). */
const MS_PER_TICK = 10;

/** A field of /proc/<pid>/status in kB ("VmRSS", "VmHWM"); null once the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface RssPeak {
  /** Highest VmRSS seen by the 100 ms sampler. */
  sampledMb: number;
  /** VmHWM when sampling stopped: the kernel's own peak over the process's life (boot included). */
  hwmMb: number;
  /** The larger of the two: what the process needed at most. */
  peakMb: number;
}

/** Samples VmRSS of each process every 100 ms; `stop()` adds VmHWM and returns the peaks by name. */
export function sampleProcessRss(pids: Record<string, number>): { stop(): Record<string, RssPeak> } {
  const sampled: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) sampled[name] = Math.max(sampled[name], statusKb(pid, 'VmRSS') ?? 0);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          const sampledMb = sampled[name] / MIB_IN_KB;
          const hwmMb = (statusKb(pid, 'VmHWM') ?? 0) / MIB_IN_KB;
          return [name, { sampledMb, hwmMb, peakMb: Math.max(sampledMb, hwmMb) }];
        }),
      );
    },
  };
}

/** utime + stime in ticks of every process whose comm starts with `prefix` (or of `onlyPid` alone), by pid. */
export function cpuTicksByPid(prefix: string, onlyPid?: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of onlyPid === undefined ? readdirSync('/proc') : [String(onlyPid)]) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may hold spaces and parentheses: it ends at the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comm.startsWith(prefix)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12])); // fields 14 (utime) and 15 (stime)
    } catch {
      // The process ended between readdir and read.
    }
  }
  return ticks;
}

/**
 * CPU ms used between two snapshots, summed per pid: a process that started in between counts
 * from zero; one that ended in between (a finished test's backend) is left out rather than
 * subtracting its whole life from the total.
 */
export function cpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += Math.max(0, now - (before.get(pid) ?? 0));
  return ticks * MS_PER_TICK;
}

/** CPU ms of PostgreSQL and Redis processes spent while `work` ran. */
export async function serverCpuDuring<T>(work: () => Promise<T>): Promise<{ value: T; pgMs: number; redisMs: number }> {
  const pg = cpuTicksByPid('postgres');
  const redis = cpuTicksByPid('redis');
  const value = await work();
  return { value, pgMs: cpuMsBetween(pg, cpuTicksByPid('postgres')), redisMs: cpuMsBetween(redis, cpuTicksByPid('redis')) };
}
