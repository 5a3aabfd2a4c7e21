import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { GetRun } from '../../../operations/application/get-run.query';
import { describeStart } from '../../../operations/application/describe-start.query';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendFragment, sendPage } from '../../../web/adapters/http/send-page';
import { GetEnvironmentActiveRuns } from '../../application/environment-active-runs.query';
import { GetEnvironmentDashboard } from '../../application/environment-dashboard.query';
import { GetWorkspaceOverview } from '../../application/workspace-overview.query';

/**
 * `/w/:workspace` (overview) and `/w/:workspace/e/:environment` (dashboard, with its live
 * active-runs fragment). Unknown and hidden workspaces or environments answer the API's 404.
 */
@Controller()
@Authenticated()
export class WorkspacePagesController {
  constructor(
    @Inject(GetWorkspaceOverview) private readonly overviews: GetWorkspaceOverview,
    @Inject(GetEnvironmentDashboard) private readonly dashboards: GetEnvironmentDashboard,
    @Inject(GetEnvironmentActiveRuns) private readonly activeRuns: GetEnvironmentActiveRuns,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('w/:workspace')
  async overview(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Res() res: Response,
  ): Promise<void> {
    const { ws, model } = await this.overviews.execute(principal, workspace);
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'overview' });
    sendPage(res, this.views.render('workspaces/overview', { title: ws.workspace.name, shell, workspace: ws.workspace, ...model }));
  }

  @Get('w/:workspace/e/:environment')
  async dashboard(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Query('started') started: unknown,
    @Query('created') created: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { ws, env, model } = await this.dashboards.execute(principal, workspace, environment);
    const [shell, flash] = await Promise.all([
      this.shell.execute(principal, { workspace: ws, environmentSlug: env.slug, section: 'overview' }),
      describeStart(this.getRun, principal, started, created),
    ]);
    sendPage(
      res,
      this.views.render('workspaces/environment', {
        title: `${env.displayName} · ${ws.workspace.name}`,
        shell,
        workspace: ws.workspace,
        flash,
        liveUrl: `${model.environment.href}/live`,
        ...model,
      }),
    );
  }

  /** The dashboard's active-runs region, polled while any run in it is active. */
  @Get('w/:workspace/e/:environment/live')
  async live(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Res() res: Response,
  ): Promise<void> {
    const active = await this.activeRuns.execute(principal, workspace, environment);
    sendFragment(res, this.views.renderFragment('workspaces/environment-live', { active }), active.runs.length > 0);
  }
}
