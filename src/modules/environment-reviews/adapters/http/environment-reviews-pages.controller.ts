import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated } from '../../../rbac/adapters/http/authenticated.decorator';
import { CurrentAccess, RequestAccess } from '../../../rbac/adapters/http/request-access';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { GetRun } from '../../../operations/application/get-run.query';
import { describeStart } from '../../../operations/application/describe-start.query';
import { AccessControl } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { PageShellService } from '../../../web/adapters/http/page-shell.service';
import { sendPage } from '../../../web/adapters/http/send-page';
import { EnvironmentReviewsApiService, ReviewSummaryView } from './environment-reviews-api.service';
import { reviewSectionViews, statusTone } from './review-pages.view-models';

/**
 * Review pages: every visible environment's reviews, one environment's reviews (with the compose
 * action), a review rendered from its structured sections (never its Markdown as HTML) and the
 * Markdown download. Reads go through EnvironmentReviewsApiService: the API's scope and 404s.
 * `:id.md` is declared before `:id` so the download is not captured as an id.
 */
@Controller('w/:workspace')
@Authenticated()
export class EnvironmentReviewsPagesController {
  constructor(
    @Inject(EnvironmentReviewsApiService) private readonly api: EnvironmentReviewsApiService,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(PageShellService) private readonly shell: PageShellService,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('reviews')
  async workspaceReviews(@CurrentAccess() principal: RequestAccess, @Param('workspace') workspace: string, @Res() res: Response): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const groups = await this.api.listAcrossEnvironments(principal, workspace);
    const base = `/w/${encodeURIComponent(ws.workspace.slug)}`;
    const reviews = groups
      .flatMap((g) => g.items.map((review) => ({ ...this.row(review), environment: g.environment, url: `${base}/e/${g.environment.slug}/reviews/${review.id}` })))
      .sort((a, b) => latest(b).localeCompare(latest(a)) || b.id.localeCompare(a.id));
    const environments = groups.map((g) => ({ ...g.environment, url: `${base}/e/${g.environment.slug}/reviews`, count: g.items.length }));
    const shell = await this.shell.build(principal, { workspace: ws, section: 'reviews' });
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
    const { items } = await this.api.list(principal, workspace, environmentSlug);
    const self = `/w/${encodeURIComponent(ws.workspace.slug)}/e/${encodeURIComponent(environment.slug)}/reviews`;
    const canCompose = this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: CAPABILITIES.REVIEWS_COMPOSE,
    }).allowed;
    const [flash, shell] = await Promise.all([
      describeStart(this.getRun, principal, query.started, query.created),
      this.shell.build(principal, { workspace: ws, environmentSlug: environment.slug, section: 'reviews' }),
    ]);
    sendPage(
      res,
      this.views.render('reviews/environment', {
        title: `Reviews · ${environment.displayName}`,
        shell,
        environment: { slug: environment.slug, name: environment.displayName },
        self,
        composeAction: `/w/${encodeURIComponent(ws.workspace.slug)}/e/${encodeURIComponent(environment.slug)}/operations`,
        composeDisabledReason: canCompose ? null : 'Your role does not allow composing reviews (it needs the "reviews.compose" capability).',
        flash,
        reviews: items.map((review) => ({ ...this.row(review), url: `${self}/${review.id}` })),
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
    const { filename, body } = await this.api.markdown(principal, workspace, environment, id);
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
    const review = await this.api.get(principal, workspace, environmentSlug, id);
    const base = `/w/${encodeURIComponent(ws.workspace.slug)}`;
    const list = `${base}/e/${encodeURIComponent(review.environment.slug)}/reviews`;
    const shell = await this.shell.build(principal, { workspace: ws, environmentSlug: review.environment.slug, section: 'reviews' });
    sendPage(
      res,
      this.views.render('reviews/detail', {
        title: `Review ${review.period.label} · ${review.environment.name}`,
        shell,
        review: { ...this.row(review), superseded_at: review.superseded_at, run_id: review.run_id, environment: review.environment },
        list,
        downloadUrl: `${list}/${review.id}.md`,
        supersedesUrl: review.supersedes_review_id ? `${list}/${review.supersedes_review_id}` : null,
        sections: reviewSectionViews(review.sections, base),
      }),
    );
  }

  private row(review: ReviewSummaryView) {
    return { ...review, tone: statusTone(review.status) };
  }
}

const latest = (r: ReviewSummaryView) => r.ready_at ?? r.created_at;
