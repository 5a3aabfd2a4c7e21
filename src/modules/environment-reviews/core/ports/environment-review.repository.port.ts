import { EvidenceSection } from '../evidence';
import { ReviewPeriod } from '../review-period';

export type ReviewStatus = 'draft' | 'ready' | 'superseded';

export interface StoredReview {
  id: string;
  workspaceId: string;
  environmentId: string;
  period: ReviewPeriod;
  status: ReviewStatus;
  fingerprint: string;
  sections: EvidenceSection[];
  basis: unknown;
  supersedesReviewId: string | null;
  runId: string | null;
  createdAt: Date;
  readyAt: Date | null;
  supersededAt: Date | null;
}

export interface NewReviewDraft {
  workspaceId: string;
  environmentId: string;
  period: ReviewPeriod;
  fingerprint: string;
  sections: EvidenceSection[];
  basis: unknown;
  supersedesReviewId: string | null;
  runId: string;
}

/** Review rows. Composition writes a draft, then publishes it in one transaction. */
export interface EnvironmentReviewRepository {
  /** Every non-draft review of the environment for exactly this period, newest first. */
  listForPeriod(environmentId: string, period: ReviewPeriod): Promise<StoredReview[]>;
  insertDraft(draft: NewReviewDraft): Promise<StoredReview>;
  /**
   * One transaction: the draft becomes `ready` and the review it supersedes (if any, and still
   * `ready`) becomes `superseded`. Returns null when the draft is gone or the superseded review
   * was no longer ready (a concurrent compose won): nothing is changed then.
   */
  publish(draftId: string, supersedesReviewId: string | null): Promise<StoredReview | null>;
  /** The newest review written by a run (any status). */
  findByRun(runId: string): Promise<StoredReview | null>;
  /** `findByRun` (the newest review of each run) for many runs in one read, keyed by run id. */
  findByRuns(runIds: string[]): Promise<Map<string, StoredReview>>;
  /** Removes the drafts a run left behind; returns how many. */
  deleteDraftsOfRun(runId: string): Promise<number>;
  /** Non-draft reviews of an environment, newest first. */
  listForEnvironment(environmentId: string): Promise<StoredReview[]>;
  /** One non-draft review of the environment; null for unknown or malformed ids. */
  findInEnvironment(environmentId: string, id: string): Promise<StoredReview | null>;
}

export const ENVIRONMENT_REVIEW_REPOSITORY = Symbol('ENVIRONMENT_REVIEW_REPOSITORY');
