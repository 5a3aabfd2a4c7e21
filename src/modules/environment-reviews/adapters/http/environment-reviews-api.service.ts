import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { AccessControl, notFoundError, WorkspaceAccess } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../../rbac/core/ports/environment-listing.port';
import { EnvironmentRef } from '../../../rbac/core/ports/tenancy-directory.port';
import { EvidenceSection } from '../../core/evidence';
import {
  ENVIRONMENT_REVIEW_REPOSITORY,
  EnvironmentReviewRepository,
  StoredReview,
} from '../../core/ports/environment-review.repository.port';
import { ReviewPeriod } from '../../core/review-period';
import { renderReviewMarkdown } from '../../core/review-markdown';
import { EnvironmentVisibility, ReviewReaderView } from '../../core/review-reader-view';

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

const toSummary = (r: StoredReview): ReviewSummaryView => ({
  id: r.id,
  period: r.period,
  status: r.status,
  fingerprint: r.fingerprint,
  supersedes_review_id: r.supersedesReviewId,
  created_at: r.createdAt.toISOString(),
  ready_at: r.readyAt?.toISOString() ?? null,
});

/**
 * Environment reviews over the JSON API: visible with operations.view on an environment the user
 * is entitled to; an unknown or hidden workspace, environment or review answers one 404. Drafts
 * (a compose still running or interrupted) are never shown. Every review passes through
 * ReviewReaderView: drift evidence of baselines whose source the reader may not see is read as if
 * it never existed (pages and Markdown render these same views).
 */
@Injectable()
export class EnvironmentReviewsApiService {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(ReviewReaderView) private readonly readerView: ReviewReaderView,
  ) {}

  /** Reviews of every environment the user may see in the workspace (each list newest first). */
  async listAcrossEnvironments(principal: Principal, workspaceSlug: string): Promise<EnvironmentReviewsView[]> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const visible = (await this.environments.listEnvironments(ws.workspace.id, ws.scope)).filter(
      (e) =>
        this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId: e.id, capability: CAPABILITIES.OPERATIONS_VIEW })
          .allowed,
    );
    const stored = await Promise.all(visible.map((e) => this.reviews.listForEnvironment(e.id)));
    // One pass over every list, so a limited reader costs one provenance read, not one per environment.
    const seen = await this.readerView.forReader(stored.flat(), this.visibility(ws));
    const byId = new Map(seen.map((r) => [r.id, r]));
    return visible.map((e, i) => ({
      environment: { slug: e.slug, name: e.displayName },
      items: stored[i].map((r) => toSummary(byId.get(r.id) ?? r)),
    }));
  }

  async list(principal: Principal, workspaceSlug: string, environmentSlug: string): Promise<{ items: ReviewSummaryView[] }> {
    const { ws, environment } = await this.scope(principal, workspaceSlug, environmentSlug);
    const reviews = await this.readerView.forReader(await this.reviews.listForEnvironment(environment.id), this.visibility(ws));
    return { items: reviews.map(toSummary) };
  }

  async get(principal: Principal, workspaceSlug: string, environmentSlug: string, id: string): Promise<ReviewDetailView> {
    const { environment, review } = await this.review(principal, workspaceSlug, environmentSlug, id);
    return {
      ...toSummary(review),
      environment: { slug: environment.slug, name: environment.displayName },
      run_id: review.runId,
      superseded_at: review.supersededAt?.toISOString() ?? null,
      sections: review.sections,
    };
  }

  async markdown(principal: Principal, workspaceSlug: string, environmentSlug: string, id: string): Promise<ReviewMarkdown> {
    const { ws, environment, review } = await this.review(principal, workspaceSlug, environmentSlug, id);
    const body = renderReviewMarkdown({
      environment: { slug: environment.slug, name: environment.displayName },
      workspace: { slug: ws.workspace.slug, name: ws.workspace.name },
      period: review.period,
      status: review.status,
      composedAt: review.readyAt?.toISOString() ?? null,
      supersedesReviewId: review.supersedesReviewId,
      sections: review.sections,
    });
    return { filename: safeFilename(`review-${environment.slug}-${review.period.label}.md`), body };
  }

  private async review(principal: Principal, workspaceSlug: string, environmentSlug: string, id: string) {
    const scope = await this.scope(principal, workspaceSlug, environmentSlug);
    const stored = await this.reviews.findInEnvironment(scope.environment.id, id);
    if (!stored) throw notFoundError();
    const [review] = await this.readerView.forReader([stored], this.visibility(scope.ws));
    return { ...scope, review };
  }

  /** The environments whose baselines this reader may see (a baseline is visible with its source). */
  private visibility(ws: WorkspaceAccess): EnvironmentVisibility {
    if (ws.scope.allEnvironments) return null;
    return (environmentId) =>
      this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId, capability: CAPABILITIES.OPERATIONS_VIEW }).allowed;
  }

  private async scope(
    principal: Principal,
    workspaceSlug: string,
    environmentSlug: string,
  ): Promise<{ ws: WorkspaceAccess; environment: EnvironmentRef }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const environment = await this.access.environment(ws, environmentSlug);
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    return { ws, environment };
  }
}

/** Slugs and labels are safe already; anything else becomes `-` so the header cannot be split. */
function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}
