import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { reviewRef } from '../../core/compose-review';
import { ENVIRONMENT_REVIEW_REPOSITORY, EnvironmentReviewRepository, StoredReview } from '../../core/ports/environment-review.repository.port';

/**
 * A stale compose: a review the run published (ready, or since superseded) proves success; a draft
 * it left behind fails the run and is deleted once that is applied (no ghost draft); nothing at
 * all fails it too. Deciding only reads.
 */
@Injectable()
@RegisterReconciliationAdapter()
export class EnvironmentReviewComposeReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'environment.review.compose';
  readonly name = 'environment-review-compose';

  constructor(@Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return this.verdict(run, await this.reviews.findByRun(run.id));
  }

  /** One read for the batch. */
  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const reviews = await this.reviews.findByRuns(runs.map((r) => r.id));
    return new Map(runs.map((run) => [run.id, this.verdict(run, reviews.get(run.id) ?? null)]));
  }

  private verdict(run: OperationRun, review: StoredReview | null): AdapterDecision {
    if (review && review.status !== 'draft') {
      return {
        decision: 'succeeded',
        reason: 'review_published',
        message: 'Reconciled: the review was published although the run was not closed.',
        related: reviewRef(review.id),
        summaryCounts: { total: 3, processed: 3 },
      };
    }
    // No review row at all means no draft either: nothing to delete.
    if (!review) {
      return { decision: 'failed', reason: 'no_review_recorded', message: 'Reconciled: the worker stopped before the review recorded anything.' };
    }
    return {
      decision: 'failed',
      reason: 'incomplete_review',
      message: 'Reconciled: the worker stopped before the review was published; its draft was discarded.',
      apply: async () => void (await this.reviews.deleteDraftsOfRun(run.id)),
    };
  }
}
