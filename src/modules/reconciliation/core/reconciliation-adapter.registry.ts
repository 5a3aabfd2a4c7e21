import { OperationCatalog } from '../../operations/core/operation-catalog';
import { ReconciliationAdapter } from './ports/reconciliation-adapter.port';
import { ReconciliationErrors } from './reconciliation-errors';

/** At most one adapter per canonical type; types without one get the generic force-fail. */
export class ReconciliationAdapterRegistry {
  private readonly byType = new Map<string, ReconciliationAdapter>();

  constructor(private readonly catalog: OperationCatalog) {}

  registerAll(adapters: ReconciliationAdapter[]): void {
    const problems: string[] = [];
    for (const adapter of adapters) {
      const definition = this.catalog.resolve(adapter.type);
      if (!definition || definition.type !== adapter.type) {
        problems.push(`${adapter.name}: adapter for "${adapter.type}", which is not a canonical catalog type`);
      } else if (this.byType.has(adapter.type)) {
        problems.push(`${adapter.type}: two reconciliation adapters (${this.byType.get(adapter.type)!.name}, ${adapter.name})`);
      } else {
        this.byType.set(adapter.type, adapter);
      }
    }
    if (problems.length) throw ReconciliationErrors.invalidAdapters(problems);
  }

  forType(type: string): ReconciliationAdapter | undefined {
    return this.byType.get(this.catalog.resolve(type)?.type ?? type);
  }
}
