/** Findings of some compare results, counted by finding type and item kind. */
export interface FindingCount {
  type: string;
  kind: string;
  count: number;
}

/**
 * Where the compare results a review cites come from, read when a reader who may not see every
 * environment of the workspace opens reviews.
 */
export interface DriftProvenance {
  /** The source environment of each result's baseline; results no longer on record are absent. */
  sourcesOf(compareResultIds: string[]): Promise<Map<string, string>>;
  /**
   * For each set of compare results, their findings counted by type and kind, ordered by type and
   * kind exactly as the composer orders the drift section's findings table.
   */
  findingsOf(sets: string[][]): Promise<FindingCount[][]>;
}

export const DRIFT_PROVENANCE = Symbol('DRIFT_PROVENANCE');
