import { Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import { AccessControl } from '../../../rbac/core/access-control';
import { RbacErrors } from '../../../rbac/core/rbac-errors';
import { CancelRun } from '../../application/cancel-run.use-case';
import { GetRun } from '../../application/get-run.query';
import { RetryRun } from '../../application/retry-run.use-case';
import { GetRunActions } from '../../application/run-actions.query';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationErrors } from '../../core/operations-errors';
import { runTitle } from './operations-pages.view-model';
import { routes } from '../../../../shared/core/routes';

/**
 * The run page's controls, over the same use cases as the API. Cancel: a confirmation page (GET)
 * and its form (POST, CSRF-checked like every form); back on the run page, the live region says
 * "Cancel requested … — waiting for the worker to stop" until the run ends. Retry: one form that
 * opens the new run's page ("Retry of …").
 */
@Controller()
@Authenticated()
export class RunControlPageController {
  constructor(
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(GetRunActions) private readonly actions: GetRunActions,
    @Inject(CancelRun) private readonly cancelRun: CancelRun,
    @Inject(RetryRun) private readonly retryRun: RetryRun,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('operations/:id/cancel')
  async confirm(@CurrentAccess() principal: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const run = await this.getRun.execute(principal, id);
    if (run.status === 'completed') throw OperationErrors.runAlreadyCompleted(run.outcome);
    if (!run.cancellation && !this.actions.execute(principal, run).cancel) throw RbacErrors.forbidden('operations.cancel');
    const ws = run.workspace ? await this.access.workspaceOf(principal, run.workspace.slug) : undefined;
    const heartbeatS = this.catalog.resolve(run.type)?.policy.heartbeat_s ?? null;
    const model = {
      title: `Cancel ${runTitle(run)}?`,
      shell: await this.shell.execute(principal, { workspace: ws, environmentSlug: run.environment?.slug, section: 'operations' }),
      runHref: routes.run(run.id),
      action: routes.runCancel(run.id),
      queued: run.status === 'queued',
      alreadyRequested: !!run.cancellation,
      heartbeatS,
    };
    sendPage(res, this.views.render('operations/cancel', model));
  }

  @Post('operations/:id/cancel')
  async cancel(@CurrentAccess() principal: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const { run } = await this.cancelRun.execute(principal, id);
    res.redirect(303, routes.run(run.id));
  }

  @Post('operations/:id/retry')
  async retry(@CurrentAccess() principal: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    // A new retry, or the identical one already active: either way its page is where to watch it.
    const { run } = await this.retryRun.execute(principal, id);
    res.redirect(303, routes.run(run.id));
  }
}
