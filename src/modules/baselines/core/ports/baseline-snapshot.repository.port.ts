export const BASELINE_SNAPSHOT_REPOSITORY = Symbol('BASELINE_SNAPSHOT_REPOSITORY');

export type SnapshotStatus = 'capturing' | 'complete' | 'unusable';

export interface BaselineSnapshot {
  id: string;
  profileId: string;
  runId: string;
  status: SnapshotStatus;
  itemCount: number;
  createdAt: Date;
  completedAt: Date | null;
}

/** One normalized item as a snapshot stores it. */
export interface SnapshotItem {
  kind: string;
  external_id: string;
  display_name: string;
  normalized: Record<string, unknown>;
  hash: string;
}

export interface BaselineSnapshotRepository {
  /** The run's snapshot, created as `capturing` on the first attempt and reused by retries. */
  startForRun(profileId: string, runId: string): Promise<BaselineSnapshot>;
  /** Multi-row insert per batch; items already stored (a retried attempt) are left as they are. */
  insertItems(snapshotId: string, items: SnapshotItem[]): Promise<void>;
  /** capturing → complete with the stored item count; a complete snapshot is never changed. */
  markComplete(snapshotId: string): Promise<BaselineSnapshot | null>;
  /** capturing → unusable (a partial snapshot must never be compared against). */
  markUnusable(snapshotId: string): Promise<void>;
  findByRun(runId: string): Promise<BaselineSnapshot | null>;
  /** `findByRun` for many runs in one read, keyed by run id. */
  findByRuns(runIds: string[]): Promise<Map<string, BaselineSnapshot>>;
  findById(id: string): Promise<BaselineSnapshot | null>;
  latestComplete(profileId: string): Promise<BaselineSnapshot | null>;
  /** Newest first. */
  listByProfile(profileId: string): Promise<BaselineSnapshot[]>;
  /** Items in (kind, external_id) order. */
  items(snapshotId: string): Promise<SnapshotItem[]>;
}
