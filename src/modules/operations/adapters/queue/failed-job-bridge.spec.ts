import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { DomainError } from '../../../../shared/core/domain-error';
import { FakeClock } from '../../../../../test/support/fakes/fake-clock';
import { FakeRunQueue } from '../../../../../test/support/fakes/fake-run-queue';
import { InMemoryOperationRunRepository } from '../../../../../test/support/fakes/in-memory-operation-run.repository';
import { at, buildDefinition } from '../../../../../test/support/run-builder';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRunService } from '../../core/operation-run.service';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { classify, FailedJobBridge, isFinalFailure } from './failed-job-bridge';
import { JobTimeoutError } from './run-abort-reasons';

/** The shape of a BullMQ job as the 'failed' event hands it over: attemptsMade already counts this attempt. */
const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: { attempts } });

const STALL_MESSAGE = 'job stalled more than allowable limit'; // BullMQ's own failedReason

describe('isFinalFailure', () => {
  it.each<[number, number | undefined, boolean]>([
    [1, 3, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, true],
    [1, 1, true],
    [1, undefined, true], // BullMQ's default is one attempt
    [0, undefined, false],
  ])('attemptsMade %p of attempts %p → %p for an ordinary error', (made, attempts, final) => {
    expect(isFinalFailure(job(made, attempts) as never, new Error('boom'))).toBe(final);
  });

  it('an UnrecoverableError is final whatever the attempt count', () => {
    expect(isFinalFailure(job(1, 5) as never, new UnrecoverableError('bad input'))).toBe(true);
  });

  it('recognises an unrecoverable error by name too (errors crossing a process boundary)', () => {
    const error = new Error('bad input');
    error.name = 'UnrecoverableError';
    expect(isFinalFailure(job(1, 5) as never, error)).toBe(true);
  });

  it('a job stalled too often is final whatever the attempt count', () => {
    expect(isFinalFailure(job(0, 5) as never, new UnrecoverableError(STALL_MESSAGE))).toBe(true);
    expect(isFinalFailure(job(0, 5) as never, new Error('Job Stalled More Than Allowable Limit'))).toBe(true);
  });

  it('a timeout with attempts left is not final (the queue retries it)', () => {
    expect(isFinalFailure(job(1, 3) as never, new JobTimeoutError(600))).toBe(false);
  });
});

describe('classify', () => {
  it('a stalled job is worker_lost, whatever class carries the message', () => {
    const expected = { reason: 'worker_lost', message: 'The worker processing this run stopped responding.' };
    expect(classify(new UnrecoverableError(STALL_MESSAGE), job(1))).toEqual(expected);
    expect(classify(new Error(STALL_MESSAGE), job(3))).toEqual(expected);
  });

  it('a JobTimeoutError is job_timeout with an operator sentence built from its message', () => {
    expect(classify(new JobTimeoutError(600), job(3))).toEqual({
      reason: 'job_timeout',
      message: 'The run exceeded its time limit of 600s and was stopped.',
    });
  });

  it('recognises a timeout by error name', () => {
    const error = new Error('The run exceeded its time limit of 5s.');
    error.name = 'JobTimeoutError';
    expect(classify(error, job(1)).reason).toBe('job_timeout');
  });

  it('a DomainError keeps its operator-safe message', () => {
    expect(classify(new DomainError('not_found', 'The environment no longer exists.', 'not_found'), job(1))).toEqual({
      reason: 'job_failed',
      message: 'The environment no longer exists.',
    });
  });

  it.each<[number, string]>([
    [0, 'The run failed after 1 attempt. Details are in the diagnostics.'],
    [1, 'The run failed after 1 attempt. Details are in the diagnostics.'],
    [3, 'The run failed after 3 attempts. Details are in the diagnostics.'],
  ])('any other error after %p attempts is job_failed without its raw message', (attemptsMade, message) => {
    const result = classify(new Error('connect ECONNREFUSED 10.0.0.7:443 (internal secret detail)'), job(attemptsMade));
    expect(result).toEqual({ reason: 'job_failed', message });
    expect(result.message).not.toContain('ECONNREFUSED');
  });
});

describe('FailedJobBridge.onFailed', () => {
  const catalog = new OperationCatalog([buildDefinition()]);

  function setup() {
    const clock = new FakeClock();
    const repo = new InMemoryOperationRunRepository(clock);
    const handlers = new RunHandlerRegistry(catalog);
    handlers.registerAll([
      { type: 'inventory.sync', parseInput: () => ({}), handle: async () => ({ outcome: 'succeeded' as const }) },
    ]);
    const service = new OperationRunService(repo, new FakeRunQueue(), catalog, handlers, clock);
    return { clock, repo, service, bridge: new FailedJobBridge(service) };
  }

  async function runningRun(env: ReturnType<typeof setup>) {
    const { run } = await env.service.dispatch({
      workspaceId: '00000000-0000-4000-8000-0000000000a1',
      environmentId: '00000000-0000-4000-8000-0000000000e1',
      type: 'inventory.sync',
      initiatorUserId: null,
    });
    env.clock.advance(1);
    return (await env.service.beginAttempt(run.id))!;
  }

  const bullJob = (runId: unknown, attemptsMade: number, attempts: number) =>
    ({ id: 'j', name: 'inventory.sync', data: { operationRunId: runId }, attemptsMade, opts: { attempts } }) as unknown as Job;

  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('leaves the run alone while the queue still retries', async () => {
    const env = setup();
    const run = await runningRun(env);
    await env.bridge.onFailed(bullJob(run.id, 1, 3), new Error('boom'));
    expect(await env.repo.findById(run.id)).toEqual(run);
  });

  it('fails the run with job_failed on the last attempt; the raw error only in diagnostics', async () => {
    const env = setup();
    const run = await runningRun(env);
    env.clock.set(at(30));
    await env.bridge.onFailed(bullJob(run.id, 3, 3), new TypeError('x is undefined'));
    const stored = await env.repo.findById(run.id);
    expect(stored).toMatchObject({ status: 'completed', outcome: 'failed', completedAt: at(30) });
    expect(stored?.context.failures).toEqual([
      { code: 'job_failed', message: 'The run failed after 3 attempts. Details are in the diagnostics.' },
    ]);
    expect(stored?.context.diagnostics?.final_error).toEqual({ class: 'TypeError', message: 'x is undefined' });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('unwraps the cause of an UnrecoverableError (the wrapper keeps a DomainError as cause)', async () => {
    const env = setup();
    const run = await runningRun(env);
    const cause = new DomainError('not_found', 'The environment no longer exists.', 'not_found');
    const wrapped = new UnrecoverableError(cause.message);
    (wrapped as Error & { cause?: unknown }).cause = cause;
    await env.bridge.onFailed(bullJob(run.id, 1, 3), wrapped);
    const stored = await env.repo.findById(run.id);
    expect(stored?.context.failures).toEqual([{ code: 'job_failed', message: 'The environment no longer exists.' }]);
    expect(stored?.context.diagnostics?.final_error).toEqual({
      class: 'DomainError',
      message: 'The environment no longer exists.',
      code: 'not_found',
    });
  });

  it('a stalled job ends worker_lost with a reconciliation record', async () => {
    const env = setup();
    const run = await runningRun(env);
    await env.bridge.onFailed(bullJob(run.id, 0, 3), new UnrecoverableError(STALL_MESSAGE));
    const stored = await env.repo.findById(run.id);
    expect(stored?.context.failures?.[0].code).toBe('worker_lost');
    expect(stored?.context.reconciliation).toMatchObject({ source: 'failed_job_bridge', previous_status: 'running' });
  });

  it('a final timeout ends job_timeout', async () => {
    const env = setup();
    const run = await runningRun(env);
    await env.bridge.onFailed(bullJob(run.id, 3, 3), new JobTimeoutError(600));
    const stored = await env.repo.findById(run.id);
    expect(stored?.context.failures).toEqual([
      { code: 'job_timeout', message: 'The run exceeded its time limit of 600s and was stopped.' },
    ]);
    expect(stored?.context.attempts?.[0].error_code).toBe('job_timeout');
  });

  it('skips jobs it cannot correlate and the undefined job BullMQ may pass', async () => {
    const env = setup();
    const run = await runningRun(env);
    await env.bridge.onFailed(undefined, new Error('boom'));
    await env.bridge.onFailed(bullJob('not-a-uuid', 3, 3), new Error('boom'));
    await env.bridge.onFailed(bullJob(undefined, 3, 3), new Error('boom'));
    expect(await env.repo.findById(run.id)).toEqual(run);
    expect(env.repo.casLog.filter((c) => c.change.status === 'completed')).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('does nothing (and does not warn) for a run that is already completed', async () => {
    const env = setup();
    const run = await runningRun(env);
    const done = await env.service.complete(run, { outcome: 'succeeded' });
    await env.bridge.onFailed(bullJob(run.id, 3, 3), new Error('late'));
    expect(await env.repo.findById(run.id)).toEqual(done);
    expect(warn).not.toHaveBeenCalled();
  });
});
