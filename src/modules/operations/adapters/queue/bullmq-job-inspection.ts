import { Queue } from 'bullmq';

/**
 * The BullMQ release whose private key layout INSPECT_SCRIPT reads (the state lists and sorted
 * sets, `<job key>:lock`). package.json pins bullmq to exactly this version and the contract spec
 * (bullmq-job-inspection.int-spec.ts) fails when they differ: an upgrade must re-run the contract
 * and then move this constant.
 */
export const BULLMQ_LAYOUT_VERSION = '5.81.5';

/** A job's state in BullMQ's own vocabulary (what `Job.getState()` / `Queue.getJobState()` answer). */
export type BullMqJobState = 'completed' | 'failed' | 'delayed' | 'prioritized' | 'active' | 'waiting' | 'waiting-children' | 'unknown';

export interface JobInspection {
  state: BullMqJobState;
  /** Whether the job's lock key exists: a worker holds (and keeps renewing) an active job. */
  locked: boolean;
}

/** Jobs inspected per script call: each is one round trip and one atomic read of the queue. */
const INSPECT_CHUNK = 500;

/** The ioredis surface the batched inspection uses (BullMQ types its client narrowly). */
interface InspectClient {
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

/**
 * Per job: the index of the first state probe (KEYS, in PROBES order; ARGV[1] spells each key's
 * kind, l = list, z = sorted set) holding it, or -1, then whether its lock key exists.
 * ARGV[2..] are (job id, lock key) pairs. A script runs atomically: a job moving between lists
 * during the inspection cannot look missing.
 */
const INSPECT_SCRIPT = `
local kinds = ARGV[1]
local out = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local hit = -1
  for k = 1, #KEYS do
    local found
    if string.sub(kinds, k, k) == 'l' then found = redis.call('LPOS', KEYS[k], id) else found = redis.call('ZSCORE', KEYS[k], id) end
    if found then hit = k - 1 break end
  end
  out[#out + 1] = hit
  out[#out + 1] = redis.call('EXISTS', ARGV[i + 1])
end
return out`;

/**
 * BullMQ's getStateV2 script checks these keys in this order (first hit wins) and answers these
 * states; nine commands per job with the lock check.
 */
const PROBES: readonly { key: string; kind: 'l' | 'z'; state: BullMqJobState }[] = [
  { key: 'completed', kind: 'z', state: 'completed' },
  { key: 'failed', kind: 'z', state: 'failed' },
  { key: 'delayed', kind: 'z', state: 'delayed' },
  { key: 'prioritized', kind: 'z', state: 'prioritized' },
  { key: 'active', kind: 'l', state: 'active' },
  { key: 'wait', kind: 'l', state: 'waiting' },
  { key: 'paused', kind: 'l', state: 'waiting' },
  { key: 'waiting-children', kind: 'z', state: 'waiting-children' },
];

/**
 * The state and lock of many jobs in one round trip per INSPECT_CHUNK: the same answers as
 * BullMQ's getState (one script call per job) plus the lock check, evaluated inside Redis by one
 * script per chunk (atomic, and two small integers per job on the wire instead of nine replies).
 */
export async function inspectJobs(queue: Queue, jobIds: readonly string[]): Promise<JobInspection[]> {
  if (!jobIds.length) return [];
  const client = (await queue.client) as unknown as InspectClient;
  const keys = PROBES.map((probe) => queue.toKey(probe.key));
  const kinds = PROBES.map((probe) => probe.kind).join('');
  const out: JobInspection[] = [];
  for (let i = 0; i < jobIds.length; i += INSPECT_CHUNK) {
    const chunk = jobIds.slice(i, i + INSPECT_CHUNK);
    const args = chunk.flatMap((id) => [id, `${queue.toKey(id)}:lock`]);
    const reply = await client.eval(INSPECT_SCRIPT, keys.length, ...keys, kinds, ...args);
    if (!Array.isArray(reply) || reply.length !== chunk.length * 2) throw new Error('unexpected inspection reply');
    chunk.forEach((_, j) => {
      const hit = Number(reply[j * 2]);
      out.push({ state: hit < 0 ? 'unknown' : PROBES[hit].state, locked: Number(reply[j * 2 + 1]) > 0 });
    });
  }
  return out;
}
