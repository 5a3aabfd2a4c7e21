import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { routes } from '../../../../shared/core/routes';
import { GetRun } from '../../../operations/application/get-run.query';
import { describeStart } from '../../../operations/application/describe-start.query';
import { AccessControl } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import { ExportReviewMarkdown } from '../../application/export-review-markdown.query';
import { GetEnvironmentReview } from '../../application/get-environment-review.query';
import { ListEnvironmentReviews } from '../../application/list-environment-reviews.query';
import { ListWorkspaceReviews } from '../../application/list-workspace-reviews.query';
import { ReviewSummaryView } from '../../application/review-read-models';
import { reviewSectionViews, statusTone } from './review-pages.view-models';

/**
 * Review pages: every visible environment's reviews, one environment's reviews (with the compose
 * action), a review rendered from its structured sections (never its Markdown as HTML) and the
 * Markdown download. Reads are the API's use cases: the API's scope and 404s.
 * `:id.md` is declared before `:id` so the download is not captured as an id.
 */
@Controller('w/:workspace')
@Authenticated()
export class EnvironmentReviewsPagesController {
  constructor(
    @Inject(ListWorkspaceReviews) private readonly listWorkspaceReviews: ListWorkspaceReviews,
    @Inject(ListEnvironmentReviews) private readonly listEnvironmentReviews: ListEnvironmentReviews,
    @Inject(GetEnvironmentReview) private readonly getReview: GetEnvironmentReview,
    @Inject(ExportReviewMarkdown) private readonly exportMarkdown: ExportReviewMarkdown,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('reviews')
  async workspaceReviews(@CurrentAccess() principal: RequestAccess, @Param('workspace') workspace: string, @Res() res: Response): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const groups = await this.listWorkspaceReviews.execute(principal, workspace);
    const slug = ws.workspace.slug;
    const reviews = groups
      .flatMap((g) => g.items.map((review) => ({ ...this.row(review), environment: g.environment, url: routes.environmentReview(slug, g.environment.slug, review.id) })))
      .sort((a, b) => latest(b).localeCompare(latest(a)) || b.id.localeCompare(a.id));
    const environments = groups.map((g) => ({ ...g.environment, url: routes.environmentReviews(slug, g.environment.slug), count: g.items.length }));
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'reviews' });
    sendPage(res, this.views.render('reviews/list', { title: 'Reviews', shell, reviews, environments }));
  }

  @Get('e/:environment/reviews')
  async environmentReviews(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environmentSlug: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const environment = await this.access.environment(ws, environmentSlug);
    const { items } = await this.listEnvironmentReviews.execute(principal, workspace, environmentSlug);
    const self = routes.environmentReviews(ws.workspace.slug, environment.slug);
    const canCompose = this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: CAPABILITIES.REVIEWS_COMPOSE,
    }).allowed;
    const [flash, shell] = await Promise.all([
      describeStart(this.getRun, principal, query.started, query.created),
      this.shell.execute(principal, { workspace: ws, environmentSlug: environment.slug, section: 'reviews' }),
    ]);
    sendPage(
      res,
      this.views.render('reviews/environment', {
        title: `Reviews · ${environment.displayName}`,
        shell,
        environment: { slug: environment.slug, name: environment.displayName },
        self,
        composeAction: routes.environmentOperations(ws.workspace.slug, environment.slug),
        composeDisabledReason: canCompose ? null : 'Your role does not allow composing reviews (it needs the "reviews.compose" capability).',
        flash,
        reviews: items.map((review) => ({ ...this.row(review), url: routes.environmentReview(ws.workspace.slug, environment.slug, review.id) })),
      }),
    );
  }

  @Get('e/:environment/reviews/:id.md')
  async markdown(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { filename, body } = await this.exportMarkdown.execute(principal, workspace, environment, id);
    res.status(200).setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(body);
  }

  @Get('e/:environment/reviews/:id')
  async review(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environmentSlug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const review = await this.getReview.execute(principal, workspace, environmentSlug, id);
    const slug = ws.workspace.slug;
    const list = routes.environmentReviews(slug, review.environment.slug);
    const shell = await this.shell.execute(principal, { workspace: ws, environmentSlug: review.environment.slug, section: 'reviews' });
    sendPage(
      res,
      this.views.render('reviews/detail', {
        title: `Review ${review.period.label} · ${review.environment.name}`,
        shell,
        review: { ...this.row(review), superseded_at: review.superseded_at, run_id: review.run_id, environment: review.environment },
        list,
        downloadUrl: `${routes.environmentReview(slug, review.environment.slug, review.id)}.md`,
        supersedesUrl: review.supersedes_review_id ? routes.environmentReview(slug, review.environment.slug, review.supersedes_review_id) : null,
        sections: reviewSectionViews(review.sections, slug),
      }),
    );
  }

  private row(review: ReviewSummaryView) {
    return { ...review, tone: statusTone(review.status) };
  }
}

const latest = (r: ReviewSummaryView) => r.ready_at ?? r.created_at;
