import { Logger } from '@nestjs/common';
import { buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { NotificationDraft } from '../core/notification-rules';
import { NotificationInbox } from '../core/ports/notification-inbox.port';
import { NotificationRunObserver } from './notification-run-observer';

const ENV = '00000000-0000-4000-8000-0000000000e1';
const tenancy = {
  findEnvironmentsByIds: async (ids: string[]) =>
    ids.includes(ENV) ? [{ id: ENV, workspaceId: 'w', slug: 'fabrikam', displayName: 'Fabrikam' }] : [],
} as unknown as TenancyDirectory;
const catalog = new OperationCatalog([buildDefinition()]);
const clock = { now: () => T0 };

function inboxRecording(into: NotificationDraft[]): NotificationInbox {
  return {
    record: async (drafts) => void into.push(...drafts),
    list: async () => ({ items: [], nextCursor: null }),
    unreadCount: async () => 0,
    markAllRead: async () => 0,
    markRead: async () => false,
  };
}

describe('NotificationRunObserver', () => {
  afterEach(() => jest.restoreAllMocks());

  it('records one draft per initiated completed run, named after the catalog label and environment', async () => {
    const drafts: NotificationDraft[] = [];
    const observer = new NotificationRunObserver(inboxRecording(drafts), tenancy, clock, catalog);
    const mine = buildRun({ status: 'completed', outcome: 'succeeded' });
    const system = buildRun({ id: '00000000-0000-4000-8000-000000000002', status: 'completed', outcome: 'failed', initiatorUserId: null });
    await observer.onCompletedMany([mine, system]);
    expect(drafts).toEqual([expect.objectContaining({ runId: mine.id, userId: mine.initiatorUserId, title: 'Inventory sync on Fabrikam succeeded.' })]);
  });

  it('logs a failed write and never throws, so a run transition is never broken', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failing = { ...inboxRecording([]), record: () => Promise.reject(new Error('database down')) };
    const run = buildRun({ status: 'completed', outcome: 'failed' });
    await expect(new NotificationRunObserver(failing, tenancy, clock, catalog).onCompleted(run)).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(run.id));
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('database down'));
  });
});
