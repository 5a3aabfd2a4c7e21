import { DriftFinding, FindingType } from '../drift';

export const BASELINE_COMPARE_REPOSITORY = Symbol('BASELINE_COMPARE_REPOSITORY');

export type CompareStatus = 'in_progress' | 'complete' | 'unusable';

export interface CompareResult {
  id: string;
  profileId: string;
  snapshotId: string;
  targetEnvironmentId: string;
  runId: string;
  status: CompareStatus;
  /** Pairs already processed and recorded; a retried attempt resumes here. */
  checkpoint: number;
  totalPairs: number | null;
  findingsCount: number;
  /** When the target's inventory it read was synced; null only for results older than this field. */
  inventorySyncedAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface NewCompareResult {
  profileId: string;
  snapshotId: string;
  targetEnvironmentId: string;
  runId: string;
  inventorySyncedAt: Date;
}

/** A finding with the key of the pair it came from (unique per result). */
export interface KeyedFinding {
  pairKey: string;
  finding: DriftFinding;
}

export interface StoredFinding extends DriftFinding {
  id: string;
  pairKey: string;
}

export interface FindingsQuery {
  compareResultId: string;
  kind?: string;
  type?: FindingType;
  limit: number;
  /** pair_key of the last finding of the previous page. */
  after?: string;
}

export interface BaselineCompareRepository {
  /** The run's result row, created on the first attempt and reused (with its checkpoint) by retries. */
  startForRun(result: NewCompareResult): Promise<CompareResult>;
  setTotalPairs(id: string, totalPairs: number): Promise<void>;
  /**
   * Inserts one batch of findings (duplicates by pair key are ignored) and moves the checkpoint
   * to `checkpoint`, in one transaction: a crash leaves either both or neither.
   */
  recordBatch(id: string, findings: KeyedFinding[], checkpoint: number): Promise<void>;
  /** in_progress → complete, counting the stored findings. */
  markComplete(id: string): Promise<CompareResult | null>;
  /** in_progress → unusable. */
  markUnusable(id: string): Promise<void>;
  findByRun(runId: string): Promise<CompareResult | null>;
  /** `findByRun` for many runs in one read, keyed by run id. */
  findByRuns(runIds: string[]): Promise<Map<string, CompareResult>>;
  /** Null unless the result belongs to the profile. */
  findForProfile(profileId: string, id: string): Promise<CompareResult | null>;
  listFindings(query: FindingsQuery): Promise<StoredFinding[]>;
}
