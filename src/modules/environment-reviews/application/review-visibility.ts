import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { ENVIRONMENT_REVIEW_REPOSITORY, EnvironmentReviewRepository, StoredReview } from '../core/ports/environment-review.repository.port';
import { EnvironmentVisibility, ReviewReaderView } from '../core/review-reader-view';

/**
 * The rules every review read shares: visible with operations.view on an environment the caller
 * is entitled to; an unknown or hidden workspace, environment or review answers one 404. Every
 * review passes through ReviewReaderView: drift evidence of baselines whose source the reader
 * may not see is read as if it never existed.
 */
@Injectable()
export class ReviewVisibility {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository,
    @Inject(ReviewReaderView) private readonly readerView: ReviewReaderView,
  ) {}

  async environment(
    caller: AccessContext,
    workspaceSlug: string,
    environmentSlug: string,
  ): Promise<{ ws: WorkspaceAccess; environment: EnvironmentRef }> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const environment = await this.access.environment(ws, environmentSlug);
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    return { ws, environment };
  }

  async review(caller: AccessContext, workspaceSlug: string, environmentSlug: string, id: string) {
    const scope = await this.environment(caller, workspaceSlug, environmentSlug);
    const stored = await this.reviews.findInEnvironment(scope.environment.id, id);
    if (!stored) throw RbacErrors.notFound();
    const [review] = await this.forReader([stored], scope.ws);
    return { ...scope, review };
  }

  /** The reviews as this reader may read them. */
  forReader(reviews: StoredReview[], ws: WorkspaceAccess): Promise<StoredReview[]> {
    return this.readerView.forReader(reviews, this.visibility(ws));
  }

  /** The environments whose baselines this reader may see (a baseline is visible with its source). */
  private visibility(ws: WorkspaceAccess): EnvironmentVisibility {
    if (ws.scope.allEnvironments) return null;
    return (environmentId) =>
      this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId, capability: CAPABILITIES.OPERATIONS_VIEW }).allowed;
  }
}
