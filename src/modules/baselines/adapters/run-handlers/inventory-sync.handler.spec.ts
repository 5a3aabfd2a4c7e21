import {
  InMemoryInventoryItemRepository,
  InMemoryInventoryProvider,
  inventoryRecord,
  RecordingProgressReporter,
} from '../../../../../test/support/fakes/in-memory-inventory';
import { OperationRun } from '../../../operations/core/operation-run';
import { RunExecution } from '../../../operations/core/ports/run-handler.port';
import { EnvironmentRef, TenancyDirectory } from '../../../rbac/core/ports/tenancy-directory.port';
import { InventorySyncHandler } from './inventory-sync.handler';

const ENVIRONMENT: EnvironmentRef = { id: 'env-1', workspaceId: 'ws-1', slug: 'contoso-hq', displayName: 'Contoso HQ' };

function directory(environments: EnvironmentRef[]): TenancyDirectory {
  return {
    findWorkspaceBySlug: async () => null,
    findEnvironmentBySlug: async () => null,
    findWorkspacesByIds: async () => [],
    findEnvironmentsByIds: async (ids) => environments.filter((e) => ids.includes(e.id)),
  };
}

function execution(environmentId: string | null): RunExecution {
  const run = { id: 'run-1', environmentId, type: 'inventory.sync' } as OperationRun;
  return { run, inputs: {}, attempt: 1, signal: new AbortController().signal, progress: new RecordingProgressReporter() };
}

describe('InventorySyncHandler', () => {
  const repository = new InMemoryInventoryItemRepository();
  const provider = new InMemoryInventoryProvider({ 'contoso-hq': [inventoryRecord(1), inventoryRecord(2)] });
  const handler = new InventorySyncHandler(provider, repository, directory([ENVIRONMENT]));

  it('is registered for inventory.sync', () => {
    expect(handler.type).toBe('inventory.sync');
  });

  it.each([undefined, null, {}])('accepts %p as empty input', (raw) => {
    expect(handler.parseInput(raw)).toEqual({});
  });

  it.each([[[]], ['x'], [3]])('rejects %p: input must be an object', (raw) => {
    expect(() => handler.parseInput(raw)).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: 'Input must be a JSON object.' }),
    );
  });

  it('names the first unexpected field', () => {
    expect(() => handler.parseInput({ full: true })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: 'inventory.sync takes no input; unexpected field "full".' }),
    );
  });

  it('needs an environment', async () => {
    await expect(handler.handle(execution(null))).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'inventory.sync needs an environment.',
    });
  });

  it('fails clearly when the environment no longer exists', async () => {
    await expect(handler.handle(execution('gone'))).rejects.toMatchObject({ code: 'environment_not_found' });
  });

  it('syncs the inventory of the run environment, found by its slug', async () => {
    await expect(handler.handle(execution('env-1'))).resolves.toEqual({
      outcome: 'succeeded',
      summaryCounts: { total: 2, processed: 2, created: 2, updated: 0, unchanged: 0 },
    });
    expect(await repository.summaryByEnvironment('env-1')).toEqual([{ kind: 'compliancePolicy', count: 2 }]);
  });
});
