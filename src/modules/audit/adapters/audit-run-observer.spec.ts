import { Logger } from '@nestjs/common';
import { buildRun } from '../../../../test/support/run-builder';
import { AuditEventInput, AuditLog } from '../core/ports/audit-log.port';
import { AuditRunObserver } from './audit-run-observer';

describe('AuditRunObserver', () => {
  afterEach(() => jest.restoreAllMocks());

  it('records the completed run', async () => {
    const recorded: AuditEventInput[] = [];
    const observer = new AuditRunObserver({
      record: async (e) => void recorded.push(e),
      recordMany: async (es) => void recorded.push(...es),
    });
    const run = buildRun({ status: 'completed', outcome: 'succeeded', initiatorUserId: null });
    await observer.onCompleted(run);
    expect(recorded).toEqual([expect.objectContaining({ action: 'operation.completed', subjectId: run.id, actorLabel: 'system' })]);
  });

  it('logs a failed audit write and never throws', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failing: AuditLog = {
      record: () => Promise.reject(new Error('database down')),
      recordMany: () => Promise.reject(new Error('database down')),
    };
    const run = buildRun({ status: 'completed', outcome: 'failed' });
    await expect(new AuditRunObserver(failing).onCompleted(run)).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(run.id));
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('database down'));
  });

  it('writes again on a fresh connection when the pooled one died, once the event is in', async () => {
    const recorded: AuditEventInput[] = [];
    let calls = 0;
    const flaky: AuditLog = {
      record: async (e) => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
        recorded.push(e);
      },
      recordMany: async () => undefined,
    };
    const run = buildRun({ status: 'completed', outcome: 'succeeded' });
    await new AuditRunObserver(flaky).onCompleted(run);
    expect(calls).toBe(2);
    expect(recorded).toHaveLength(1);
  });

  it('does not retry other errors (a retry could double an event that was written)', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let calls = 0;
    const failing: AuditLog = {
      record: async () => {
        calls += 1;
        throw new Error('duplicate key value violates unique constraint');
      },
      recordMany: async () => undefined,
    };
    await new AuditRunObserver(failing).onCompleted(buildRun({ status: 'completed', outcome: 'failed' }));
    expect(calls).toBe(1);
  });
});
