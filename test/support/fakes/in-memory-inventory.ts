import { CompositePart } from '../../../src/modules/operations/core/operation-run';
import { ProgressReporter } from '../../../src/modules/operations/core/ports/progress-reporter.port';
import { InventoryRecord, inventoryItemKey } from '../../../src/modules/baselines/core/inventory-item';
import {
  HashedInventoryRecord,
  InventoryItemRepository,
  InventoryKindCount,
  UpsertCounts,
} from '../../../src/modules/baselines/core/ports/inventory-item.repository.port';
import {
  InventoryProvider,
  InventorySource,
} from '../../../src/modules/baselines/core/ports/inventory-provider.port';

export interface StoredInventoryItem extends HashedInventoryRecord {
  environment_id: string;
  last_synced_run_id: string | null;
}

/** Same counting rules as the SQL upsert, kept in a Map keyed like the unique index. */
export class InMemoryInventoryItemRepository implements InventoryItemRepository {
  readonly rows = new Map<string, StoredInventoryItem>();
  readonly batches: Array<{ environmentId: string; runId: string; items: HashedInventoryRecord[] }> = [];

  async upsertBatch(environmentId: string, runId: string, items: HashedInventoryRecord[]): Promise<UpsertCounts> {
    this.batches.push({ environmentId, runId, items });
    const distinct = new Map(items.map((item) => [inventoryItemKey(item), item]));
    const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
    for (const [key, item] of distinct) {
      const rowKey = `${environmentId}|${key}`;
      const before = this.rows.get(rowKey);
      if (!before) counts.created++;
      else if (before.content_hash !== item.content_hash) counts.updated++;
      else counts.unchanged++;
      this.rows.set(rowKey, { ...item, environment_id: environmentId, last_synced_run_id: runId });
    }
    return counts;
  }

  async countByRun(runId: string): Promise<number> {
    return [...this.rows.values()].filter((row) => row.last_synced_run_id === runId).length;
  }

  async countByRuns(runIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const id of runIds) {
      const n = await this.countByRun(id);
      if (n > 0) counts.set(id, n);
    }
    return counts;
  }

  async summaryByEnvironment(environmentId: string): Promise<InventoryKindCount[]> {
    const byKind = new Map<string, number>();
    for (const row of this.rows.values()) {
      if (row.environment_id === environmentId) byKind.set(row.kind, (byKind.get(row.kind) ?? 0) + 1);
    }
    return [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => ({ kind, count }));
  }
}

/** Serves fixed records per slug; `onItem` lets a test act between items (e.g. abort). */
export class InMemoryInventoryProvider implements InventoryProvider {
  onItem?: (index: number) => void;
  constructor(private readonly bySlug: Record<string, InventoryRecord[]>) {}

  async open(environmentSlug: string): Promise<InventorySource> {
    const records = this.bySlug[environmentSlug] ?? [];
    const onItem = () => this.onItem;
    return {
      total: records.length,
      async *items() {
        for (let index = 0; index < records.length; index++) {
          onItem()?.(index);
          yield records[index];
        }
      },
    };
  }
}

/** Records every progress call in order, for exact assertions. */
export class RecordingProgressReporter implements ProgressReporter {
  readonly counts: Array<[number, number]> = [];
  readonly phases: string[] = [];
  onCounted?: (processed: number, total: number) => void;

  async counted(processed: number, total: number): Promise<void> {
    this.counts.push([processed, total]);
    this.onCounted?.(processed, total);
  }

  async phase(key: string): Promise<void> {
    this.phases.push(key);
  }

  async composite(_parts: CompositePart[]): Promise<void> {}
}

export function inventoryRecord(index: number, overrides: Partial<InventoryRecord> = {}): InventoryRecord {
  return {
    kind: 'compliancePolicy',
    external_id: `policy-${String(index).padStart(4, '0')}`,
    display_name: `Policy ${index}`,
    settings: { passwordMinimumLength: 8 + (index % 6), nested: { enabled: true } },
    ...overrides,
  };
}
