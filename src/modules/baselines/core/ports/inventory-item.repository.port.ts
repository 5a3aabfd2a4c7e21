import { InventoryRecord } from '../inventory-item';

export const INVENTORY_ITEM_REPOSITORY = Symbol('INVENTORY_ITEM_REPOSITORY');

export type HashedInventoryRecord = InventoryRecord & { content_hash: string };

export interface UpsertCounts {
  /** Rows that did not exist before. */
  created: number;
  /** Existing rows whose content_hash changed. */
  updated: number;
  /** Existing rows with the same content_hash (still stamped with the run). */
  unchanged: number;
}

export interface InventoryKindCount {
  kind: string;
  count: number;
}

export interface InventoryItemRepository {
  /**
   * Inserts or refreshes the items of one environment in one set-based statement and stamps
   * every row with `runId` as `last_synced_run_id`. Items repeating (kind, external_id): last wins.
   */
  upsertBatch(
    environmentId: string,
    runId: string,
    items: HashedInventoryRecord[],
  ): Promise<UpsertCounts>;
  /** Items whose `last_synced_run_id` is `runId`: what a sync run really wrote. */
  countByRun(runId: string): Promise<number>;
  /** `countByRun` for many runs in one read; runs with no items are absent. */
  countByRuns(runIds: string[]): Promise<Map<string, number>>;
  /** Item counts per kind, ordered by kind. */
  summaryByEnvironment(environmentId: string): Promise<InventoryKindCount[]>;
}
