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
});
