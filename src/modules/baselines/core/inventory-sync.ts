import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { ProgressReporter } from '../../operations/core/ports/progress-reporter.port';
import { InventoryRecord, inventoryContentHash, inventoryItemKey } from './inventory-item';
import { HashedInventoryRecord, InventoryItemRepository } from './ports/inventory-item.repository.port';
import { InventoryProvider } from './ports/inventory-provider.port';

export const INVENTORY_SYNC_BATCH_SIZE = 100;

export interface InventorySyncParams {
  environmentId: string;
  environmentSlug: string;
  runId: string;
  signal: AbortSignal;
  progress: ProgressReporter;
}

interface Tally {
  /** Distinct (kind, external_id) written so far; repeats are written again but counted once. */
  seen: Set<string>;
  duplicates: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Refreshes one environment's inventory from the provider: streams items, upserts them in
 * batches (one round trip per batch, not per item) and reports real counted progress.
 */
export class InventorySync {
  constructor(
    private readonly provider: InventoryProvider,
    private readonly repository: InventoryItemRepository,
  ) {}

  async run(params: InventorySyncParams): Promise<HandlerResult> {
    const { signal, progress } = params;
    const source = await this.provider.open(params.environmentSlug);
    const tally: Tally = { seen: new Set(), duplicates: 0, created: 0, updated: 0, unchanged: 0 };
    await progress.counted(0, source.total);

    let batch: InventoryRecord[] = [];
    for await (const record of source.items(signal)) {
      batch.push(record);
      if (batch.length >= INVENTORY_SYNC_BATCH_SIZE) {
        await this.flush(params, batch, tally, source.total);
        batch = [];
      }
    }
    if (batch.length > 0) await this.flush(params, batch, tally, source.total);

    const processed = tally.seen.size;
    return {
      outcome: 'succeeded',
      summaryCounts: {
        total: distinctTotal(source.total, tally),
        processed,
        created: tally.created,
        updated: tally.updated,
        unchanged: tally.unchanged,
      },
    };
  }

  private async flush(
    params: InventorySyncParams,
    batch: InventoryRecord[],
    tally: Tally,
    announced: number,
  ): Promise<void> {
    throwIfAborted(params.signal);
    // Last occurrence wins inside the batch; keys already written by an earlier batch are
    // rewritten (last wins across the file too) but must not be counted a second time.
    const latest = new Map<string, InventoryRecord>();
    for (const record of batch) latest.set(inventoryItemKey(record), record);
    tally.duplicates += batch.length - latest.size;

    const fresh: HashedInventoryRecord[] = [];
    const repeats: HashedInventoryRecord[] = [];
    for (const [key, record] of latest) {
      const hashed = { ...record, content_hash: inventoryContentHash(record) };
      if (tally.seen.has(key)) repeats.push(hashed);
      else fresh.push(hashed);
    }
    tally.duplicates += repeats.length;

    if (fresh.length > 0) {
      const counts = await this.repository.upsertBatch(params.environmentId, params.runId, fresh);
      tally.created += counts.created;
      tally.updated += counts.updated;
      tally.unchanged += counts.unchanged;
      for (const record of fresh) tally.seen.add(inventoryItemKey(record));
    }
    // Rare (a provider repeating an item across batches): its first write was already counted.
    if (repeats.length > 0) {
      await this.repository.upsertBatch(params.environmentId, params.runId, repeats);
    }
    await params.progress.counted(tally.seen.size, distinctTotal(announced, tally));
  }
}

/** The announced total includes duplicates; each duplicate found shrinks it so 100 % stays reachable. */
function distinctTotal(announced: number, tally: Tally): number {
  return Math.max(announced - tally.duplicates, tally.seen.size);
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
}
