import { CompareResult } from './baseline-compare.repository.port';
import { BaselineSnapshot } from './baseline-snapshot.repository.port';

export const BASELINE_HISTORY_QUERY = Symbol('BASELINE_HISTORY_QUERY');

/**
 * Read-only lookups the console pages need beside the write-side repositories: compare results by
 * id or by profile, the latest snapshot / compare per profile, the kinds a result's findings have.
 * `targetEnvironmentIds`, when given, narrows compare results to those targets (a limited member's
 * entitlement); left out means every target.
 */
export interface BaselineHistoryQuery {
  findCompareResult(id: string): Promise<CompareResult | null>;
  /** Newest first, at most `limit`. */
  compareResults(profileId: string, targetEnvironmentIds: string[] | undefined, limit: number): Promise<CompareResult[]>;
  /** The newest compare result of each profile that has one. */
  latestCompareResults(profileIds: string[], targetEnvironmentIds: string[] | undefined): Promise<CompareResult[]>;
  /** The newest snapshot (any status) of each profile that has one. */
  latestSnapshots(profileIds: string[]): Promise<BaselineSnapshot[]>;
  /** Distinct policy kinds among a result's findings, sorted. */
  findingKinds(compareResultId: string): Promise<string[]>;
}
