import { EvidenceSection } from '../core/evidence';
import { StoredReview } from '../core/ports/environment-review.repository.port';
import { ReviewPeriod } from '../core/review-period';

/*
 * The read models the review use cases return: the API sends them as they are (snake_case like
 * the rest of /api/v1) and the pages build their view models from them.
 */

export interface ReviewSummaryView {
  id: string;
  period: ReviewPeriod;
  status: string;
  fingerprint: string;
  supersedes_review_id: string | null;
  created_at: string;
  ready_at: string | null;
}

export interface ReviewDetailView extends ReviewSummaryView {
  environment: { slug: string; name: string };
  run_id: string | null;
  superseded_at: string | null;
  sections: EvidenceSection[];
}

/** An environment's reviews, for the workspace-wide list. */
export interface EnvironmentReviewsView {
  environment: { slug: string; name: string };
  items: ReviewSummaryView[];
}

export interface ReviewMarkdown {
  filename: string;
  body: string;
}

export const toReviewSummary = (r: StoredReview): ReviewSummaryView => ({
  id: r.id,
  period: r.period,
  status: r.status,
  fingerprint: r.fingerprint,
  supersedes_review_id: r.supersedesReviewId,
  created_at: r.createdAt.toISOString(),
  ready_at: r.readyAt?.toISOString() ?? null,
});
