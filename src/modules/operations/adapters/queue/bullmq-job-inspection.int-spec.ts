import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { redisOptionsFromUrl } from '../../../../shared/adapters/redis-connection';
import { TEST_REDIS_URL } from '../../../../../test/support/test-env';
import { BULLMQ_LAYOUT_VERSION, BullMqJobState, inspectJobs } from './bullmq-job-inspection';

const ROOT = path.resolve(__dirname, '../../../../..');
const readJson = <T>(file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as T;

/** The plain Redis commands the spec reads keys with (BullMQ types its client narrowly). */
interface KeyClient {
  keys(pattern: string): Promise<string[]>;
  del(...keys: string[]): Promise<number>;
  exists(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
}
const keyClient = async (queue: Queue) => (await queue.client) as unknown as KeyClient;

/**
 * The contract of the inspection script, which reads BullMQ's private key layout: for every state
 * a job can be in, a real BullMQ job is put there by BullMQ's own calls, and the script's answer
 * must equal BullMQ's public `getJobState`, its lock answer the lock a real worker holds. A BullMQ
 * release that moves a job between other keys, renames one or stores the lock elsewhere fails here.
 */
describe('the BullMQ job inspection script (real Redis)', () => {
  const connection = redisOptionsFromUrl(TEST_REDIS_URL);
  const prefix = `inspect_contract_${process.pid}_${randomBytes(3).toString('hex')}`;
  const name = 'runs';
  let queue: Queue;
  const closers: { close(): Promise<unknown> }[] = [];
  /** Each job id with the state it was put in (as BullMQ names it) and whether a worker's lock is live. */
  const expected: { id: string; state: BullMqJobState; locked: boolean }[] = [];

  /** A manual-processing worker (no processor, no lock renewal): takes the one waiting job active. */
  async function takeActive(id: string, lockDuration: number): Promise<{ job: Job; token: string }> {
    const worker = new Worker(name, null, { connection, prefix, lockDuration, autorun: false });
    closers.push(worker);
    const token = `token-${id}`;
    await queue.add('t', {}, { jobId: id, attempts: id === 'job-delayed-retry' ? 2 : 1, backoff: { type: 'fixed', delay: 3_600_000 } });
    const job = (await worker.getNextJob(token, { block: false })) as Job | undefined;
    if (job?.id !== id) throw new Error(`expected ${id} active, got ${job?.id}`);
    return { job, token };
  }

  beforeAll(async () => {
    queue = new Queue(name, { connection, prefix });
    closers.push(queue);

    await takeActive('job-active-locked', 600_000);
    expected.push({ id: 'job-active-locked', state: 'active', locked: true });

    await takeActive('job-active-lock-expired', 200);
    expected.push({ id: 'job-active-lock-expired', state: 'active', locked: false });

    const done = await takeActive('job-completed', 600_000);
    await done.job.moveToCompleted('ok', done.token, false);
    expected.push({ id: 'job-completed', state: 'completed', locked: false });

    const failed = await takeActive('job-failed', 600_000);
    await failed.job.moveToFailed(new Error('boom'), failed.token, false);
    expected.push({ id: 'job-failed', state: 'failed', locked: false });

    const retry = await takeActive('job-delayed-retry', 600_000);
    await retry.job.moveToFailed(new Error('try again'), retry.token, false);
    expected.push({ id: 'job-delayed-retry', state: 'delayed', locked: false });

    // Nothing takes these: they stay where add() put them.
    await queue.add('t', {}, { jobId: 'job-waiting' });
    expected.push({ id: 'job-waiting', state: 'waiting', locked: false });
    await queue.add('t', {}, { jobId: 'job-prioritized', priority: 5 });
    expected.push({ id: 'job-prioritized', state: 'prioritized', locked: false });
    await queue.add('t', {}, { jobId: 'job-delayed', delay: 3_600_000 });
    expected.push({ id: 'job-delayed', state: 'delayed', locked: false });

    // A parent waits for its child (queued on another queue nobody works).
    const flows = new FlowProducer({ connection, prefix });
    closers.push(flows);
    await flows.add({ name: 't', queueName: name, opts: { jobId: 'job-waiting-children' }, children: [{ name: 'c', queueName: `${name}-children`, opts: { jobId: 'job-child' } }] });
    expected.push({ id: 'job-waiting-children', state: 'waiting-children', locked: false });

    const removed = await queue.add('t', {}, { jobId: 'job-removed' });
    await removed.remove();
    expected.push({ id: 'job-removed', state: 'unknown', locked: false });
    expected.push({ id: 'job-never-added', state: 'unknown', locked: false });

    await new Promise((resolve) => setTimeout(resolve, 400)); // the 200 ms lock lapses
  });

  afterAll(async () => {
    const client = await keyClient(queue);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length) await client.del(...keys);
    for (const closer of closers.reverse()) await closer.close();
  });

  it('covers every state BullMQ reports, active with a live and with a lapsed lock', () => {
    const states = new Set(expected.map((e) => e.state));
    expect([...states].sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'prioritized', 'unknown', 'waiting', 'waiting-children']);
  });

  it('answers what BullMQ\'s public getJobState answers, for every job in one call', async () => {
    const ids = expected.map((e) => e.id);
    const inspected = await inspectJobs(queue, ids);
    const publicStates = await Promise.all(ids.map((id) => queue.getJobState(id)));
    expect(inspected.map((i) => i.state)).toEqual(publicStates);
    expect(inspected.map((i) => i.state)).toEqual(expected.map((e) => e.state));
  });

  it('sees the lock a real worker holds, and its lapse', async () => {
    const client = await keyClient(queue);
    const inspected = await inspectJobs(queue, expected.map((e) => e.id));
    const lockKeys = await Promise.all(expected.map((e) => client.exists(`${queue.toKey(e.id)}:lock`)));
    expect(inspected.map((i) => i.locked)).toEqual(expected.map((e) => e.locked));
    expect(inspected.map((i) => i.locked)).toEqual(lockKeys.map((n) => n === 1));
    // The live lock carries the worker's token: it is BullMQ's lock, not a key of our own naming.
    expect(await client.get(`${queue.toKey('job-active-locked')}:lock`)).toBe('token-job-active-locked');
  });

  it('answers a paused queue\'s waiting jobs as waiting', async () => {
    await queue.pause();
    try {
      await queue.add('t', {}, { jobId: 'job-waiting-while-paused' });
      const [inspected] = await inspectJobs(queue, ['job-waiting-while-paused']);
      expect(inspected.state).toBe(await queue.getJobState('job-waiting-while-paused'));
      expect(inspected.state).toBe('waiting');
    } finally {
      await queue.resume();
    }
  });

  it('splits more jobs than one script call takes into chunks, in order', async () => {
    const ids = Array.from({ length: 1201 }, (_, i) => expected[i % expected.length].id);
    const inspected = await inspectJobs(queue, ids);
    expect(inspected.map((i) => i.state)).toEqual(ids.map((id) => expected.find((e) => e.id === id)!.state));
  });

  it('was written against the installed BullMQ, pinned exactly in package.json (an upgrade must re-run this contract)', () => {
    const pkg = readJson<{ dependencies: Record<string, string> }>('package.json');
    expect(pkg.dependencies.bullmq).toBe(BULLMQ_LAYOUT_VERSION);
    expect(readJson<{ version: string }>('node_modules/bullmq/package.json').version).toBe(BULLMQ_LAYOUT_VERSION);
  });
});
