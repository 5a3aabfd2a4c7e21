import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { ReviewDetailView, toReviewSummary } from './review-read-models';
import { ReviewVisibility } from './review-visibility';

/** One review with its evidence sections, as this reader may read it. */
@Injectable()
export class GetEnvironmentReview {
  constructor(@Inject(ReviewVisibility) private readonly visibility: ReviewVisibility) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string, id: string): Promise<ReviewDetailView> {
    const { environment, review } = await this.visibility.review(caller, workspaceSlug, environmentSlug, id);
    return {
      ...toReviewSummary(review),
      environment: { slug: environment.slug, name: environment.displayName },
      run_id: review.runId,
      superseded_at: review.supersededAt?.toISOString() ?? null,
      sections: review.sections,
    };
  }
}
