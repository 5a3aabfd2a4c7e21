import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { ENVIRONMENT_REVIEW_REPOSITORY, EnvironmentReviewRepository } from '../core/ports/environment-review.repository.port';
import { ReviewSummaryView, toReviewSummary } from './review-read-models';
import { ReviewVisibility } from './review-visibility';

/** One environment's reviews, newest first; drafts (a compose still running or interrupted) never show. */
@Injectable()
export class ListEnvironmentReviews {
  constructor(
    @Inject(ReviewVisibility) private readonly visibility: ReviewVisibility,
    @Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string): Promise<{ items: ReviewSummaryView[] }> {
    const { ws, environment } = await this.visibility.environment(caller, workspaceSlug, environmentSlug);
    const reviews = await this.visibility.forReader(await this.reviews.listForEnvironment(environment.id), ws);
    return { items: reviews.map(toReviewSummary) };
  }
}
