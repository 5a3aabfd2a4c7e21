import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { HandlerResult, RunExecution, RunHandler } from '../../../operations/core/ports/run-handler.port';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../../rbac/core/ports/tenancy-directory.port';
import { BaselineErrors } from '../../core/baselines-errors';
import { InventorySync } from '../../core/inventory-sync';
import {
  INVENTORY_ITEM_REPOSITORY,
  InventoryItemRepository,
} from '../../core/ports/inventory-item.repository.port';
import { INVENTORY_PROVIDER, InventoryProvider } from '../../core/ports/inventory-provider.port';
import { isRecord } from '../../../../shared/core/json-guards';

/** `inventory.sync`: orchestration only — resolve the environment, then let InventorySync work. */
@Injectable()
@RegisterRunHandler()
export class InventorySyncHandler implements RunHandler {
  readonly type = 'inventory.sync';
  private readonly sync: InventorySync;

  constructor(
    @Inject(INVENTORY_PROVIDER) provider: InventoryProvider,
    @Inject(INVENTORY_ITEM_REPOSITORY) repository: InventoryItemRepository,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
  ) {
    this.sync = new InventorySync(provider, repository);
  }

  parseInput(raw: unknown): Record<string, unknown> {
    if (raw === undefined || raw === null) return {};
    if (!isRecord(raw)) {
      throw BaselineErrors.syncInputNotObject();
    }
    const [unexpected] = Object.keys(raw);
    if (unexpected !== undefined) {
      throw BaselineErrors.syncTakesNoInput(unexpected);
    }
    return {};
  }

  async handle(execution: RunExecution): Promise<HandlerResult> {
    const { run, signal, progress } = execution;
    if (!run.environmentId) {
      throw BaselineErrors.syncEnvironmentRequired();
    }
    const [environment] = await this.tenancy.findEnvironmentsByIds([run.environmentId]);
    if (!environment) {
      // The environment can be removed between dispatch and execution.
      throw BaselineErrors.runEnvironmentGone();
    }
    return this.sync.run({
      environmentId: environment.id,
      environmentSlug: environment.slug,
      runId: run.id,
      signal,
      progress,
    });
  }
}
