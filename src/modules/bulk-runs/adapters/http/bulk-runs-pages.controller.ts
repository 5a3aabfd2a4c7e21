import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { routes } from '../../../../shared/core/routes';
import { AccessControl } from '../../../rbac/core/access-control';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../../rbac/core/ports/environment-listing.port';
import { GetRun } from '../../../operations/application/get-run.query';
import { OperationCatalog } from '../../../operations/core/operation-catalog';
import { startsFromEnvironment } from '../../../operations/core/operation-type';
import { StartFormRegistry } from '../../../operations/core/start-form';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { ListRunChildren } from '../../application/list-run-children.query';
import { StartBulkAction } from '../../application/start-bulk-action.use-case';
import { StartFanOut } from '../../application/start-fan-out.use-case';
import { BULK_FILTER_KEYS } from '../../core/bulk-input';
import { BulkAction, FAN_OUT_TYPE } from '../../core/bulk-run-types';
import { BulkRunErrors } from '../../core/bulk-runs-errors';
import { bulkConfirmationModel, childRowsModel, fanOutFormModel } from './bulk-runs-pages.view-model';

/**
 * Pages of bulk actions and fan-out, over the same use cases as the API: a confirmation that
 * states the exact count within the user's scope before a bulk run starts, the fan-out form, and
 * the list of the runs a bulk run touched. Forms post with CSRF like every form; each start opens
 * the bulk run's page, where progress reads "12 of 40".
 */
@Controller()
@Authenticated()
export class BulkRunsPagesController {
  constructor(
    @Inject(StartBulkAction) private readonly bulk: StartBulkAction,
    @Inject(StartFanOut) private readonly fanOut: StartFanOut,
    @Inject(ListRunChildren) private readonly children: ListRunChildren,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(StartFormRegistry) private readonly forms: StartFormRegistry,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('w/:workspace/operations/bulk/:action')
  async confirm(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('action') action: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { scope, count } = await this.bulk.count(caller, workspace, { action, filter: query });
    const model = bulkConfirmationModel(scope, count);
    const shell = await this.shell.execute(caller, { workspace: scope.ws, environmentSlug: scope.filter.environment, section: 'operations' });
    sendPage(res, this.views.render('bulk-runs/confirm', { ...model, shell }));
  }

  @Post('w/:workspace/operations/bulk/:action')
  async start(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('action') action: string,
    @Body() form: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const filter = Object.fromEntries(BULK_FILTER_KEYS.filter((k) => form[k] !== undefined).map((k) => [k, form[k]]));
    const { run } = await this.bulk.execute(caller, workspace, { action: action as BulkAction, filter });
    res.redirect(303, routes.run(run.id));
  }

  @Get('w/:workspace/operations/fan-out')
  async fanOutForm(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Query('type') type: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(caller, workspace);
    if (typeof type === 'string') this.catalog.require(type); // an unknown type is a plain 400, as in the hub
    // The same refusals as the start itself: the capability, then every environment.
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: this.catalog.require(FAN_OUT_TYPE).capability });
    if (!ws.scope.allEnvironments) throw BulkRunErrors.needsEveryEnvironment();
    const environments = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const startable = this.catalog
      .definitions()
      .filter((d) => startsFromEnvironment(d) && this.forms.of(d.type).fields.length === 0)
      .filter((d) => this.access.decide(ws.grants, { workspaceId: ws.workspace.id, capability: d.capability }).allowed);
    const model = fanOutFormModel(ws, environments, startable, typeof type === 'string' ? type : undefined);
    const shell = await this.shell.execute(caller, { workspace: ws, section: 'operations' });
    sendPage(res, this.views.render('bulk-runs/fan-out', { ...model, shell }));
  }

  @Post('w/:workspace/operations/fan-out')
  async startFanOut(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() form: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    // `environments`: "all", or the ticked slugs (one checkbox posts a string, several an array).
    const ticked = form.environments;
    const environments = form.scope === 'chosen' ? (Array.isArray(ticked) ? ticked : ticked === undefined ? [] : [ticked]) : 'all';
    const { run } = await this.fanOut.execute(caller, workspace, { type: form.type, environments, input: this.forms.inputFrom(form) });
    res.redirect(303, routes.run(run.id));
  }

  @Get('operations/:id/children')
  async childrenPage(
    @CurrentAccess() caller: RequestAccess,
    @Param('id') id: string,
    @Query('cursor') cursor: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const run = await this.getRun.execute(caller, id);
    const page = await this.children.execute(caller, id, typeof cursor === 'string' ? cursor : undefined);
    const ws = run.workspace ? await this.access.workspaceOf(caller, run.workspace.slug) : undefined;
    const shell = await this.shell.execute(caller, { workspace: ws, environmentSlug: run.environment?.slug, section: 'operations' });
    sendPage(res, this.views.render('bulk-runs/children', { ...childRowsModel(run, page), shell }));
  }
}
