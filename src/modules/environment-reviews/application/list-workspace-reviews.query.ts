import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { ENVIRONMENT_REVIEW_REPOSITORY, EnvironmentReviewRepository } from '../core/ports/environment-review.repository.port';
import { EnvironmentReviewsView, toReviewSummary } from './review-read-models';
import { ReviewVisibility } from './review-visibility';

/** Reviews of every environment the caller may see in the workspace (each list newest first). */
@Injectable()
export class ListWorkspaceReviews {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ReviewVisibility) private readonly visibility: ReviewVisibility,
    @Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<EnvironmentReviewsView[]> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const visible = (await this.environments.listEnvironments(ws.workspace.id, ws.scope)).filter(
      (e) =>
        this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId: e.id, capability: CAPABILITIES.OPERATIONS_VIEW })
          .allowed,
    );
    const stored = await Promise.all(visible.map((e) => this.reviews.listForEnvironment(e.id)));
    // One pass over every list, so a limited reader costs one provenance read, not one per environment.
    const seen = await this.visibility.forReader(stored.flat(), ws);
    const byId = new Map(seen.map((r) => [r.id, r]));
    return visible.map((e, i) => ({
      environment: { slug: e.slug, name: e.displayName },
      items: stored[i].map((r) => toReviewSummary(byId.get(r.id) ?? r)),
    }));
  }
}
