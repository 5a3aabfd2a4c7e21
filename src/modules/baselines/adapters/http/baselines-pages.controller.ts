import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { routes } from '../../../../shared/core/routes';
import { GetRun } from '../../../operations/application/get-run.query';
import { describeStart } from '../../../operations/application/describe-start.query';
import { AccessControl, WorkspaceAccess } from '../../../rbac/core/access-control';
import { CAPABILITIES, Capability } from '../../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../../rbac/core/ports/environment-listing.port';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import { BaselineView } from '../../application/baseline-read-models';
import { CreateBaselineProfile } from '../../application/create-baseline-profile.use-case';
import { GetBaselineProfile } from '../../application/get-baseline-profile.query';
import { GetCompareResult } from '../../application/get-compare-result.query';
import { GetSnapshot } from '../../application/get-snapshot.query';
import { ListBaselineActivity } from '../../application/list-baseline-activity.query';
import { ListCompareResults } from '../../application/list-compare-results.query';
import { ListFindings } from '../../application/list-findings.query';
import { UpdateBaselineProfile } from '../../application/update-baseline-profile.use-case';
import { BASELINE_RULES } from '../../baselines.tokens';
import { BaselineRules } from '../../core/baseline-rules';
import { BaselineErrors } from '../../core/baselines-errors';
import {
  BaselineFormValues,
  FINDING_TYPE_OPTIONS,
  formValuesOf,
  queryString,
  queryValue,
  toFindingRow,
} from './baseline-pages.view-models';
import { CreateBaselineRequest } from './create-baseline.request';
import { ListFindingsRequest } from './list-findings.request';
import { UpdateBaselineRequest } from './update-baseline.request';

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

const SAVED_MESSAGES: Record<string, string> = {
  created: 'Baseline profile created.',
  updated: 'Baseline profile saved.',
};

/**
 * Baseline pages: profiles, the profile form, a profile with its snapshots and compare results
 * and its capture/compare actions, a snapshot, a compare result with its findings. Reads and
 * writes are the API's use cases, so scope and capabilities are the API's (404 / 403).
 * Declared before `:id` so `new`, `snapshots/…` and `compare-results/…` are never taken as ids.
 */
@Controller('w/:workspace/baselines')
@Authenticated()
export class BaselinesPagesController {
  constructor(
    @Inject(ListBaselineActivity) private readonly listActivity: ListBaselineActivity,
    @Inject(GetBaselineProfile) private readonly getProfile: GetBaselineProfile,
    @Inject(ListCompareResults) private readonly listCompareResults: ListCompareResults,
    @Inject(GetSnapshot) private readonly getSnapshot: GetSnapshot,
    @Inject(GetCompareResult) private readonly getCompareResult: GetCompareResult,
    @Inject(ListFindings) private readonly listFindings: ListFindings,
    @Inject(CreateBaselineProfile) private readonly createProfile: CreateBaselineProfile,
    @Inject(UpdateBaselineProfile) private readonly updateProfile: UpdateBaselineProfile,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly listing: EnvironmentListing,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
    @Inject(BASELINE_RULES) private readonly rules: BaselineRules,
  ) {}

  @Get()
  async list(@CurrentAccess() principal: RequestAccess, @Param('workspace') workspace: string, @Res() res: Response): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const { items } = await this.listActivity.execute(principal, workspace);
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'baselines' });
    const canManage = ws.capabilities.includes(CAPABILITIES.BASELINES_MANAGE);
    sendPage(res, this.views.render('baselines/list', { title: 'Baselines', shell, base: this.base(ws), profiles: items, canManage }));
  }

  @Get('new')
  async newForm(@CurrentAccess() principal: RequestAccess, @Param('workspace') workspace: string, @Res() res: Response): Promise<void> {
    const ws = await this.manager(principal, workspace);
    const values: BaselineFormValues = { name: '', source_environment: '', policy_kinds: [] };
    await this.renderForm(res, principal, ws, { values, errors: {} }, 200);
  }

  @Post()
  async create(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.manager(principal, workspace);
    const values = formValuesOf(body);
    const { errors } = await validateForm(CreateBaselineRequest, { ...body, policy_kinds: values.policy_kinds });
    const environments = await this.listing.listEnvironments(ws.workspace.id, ws.scope);
    if (!errors.source_environment && !environments.some((e) => e.slug === values.source_environment)) {
      errors.source_environment = `Environment "${values.source_environment}" was not found.`;
    }
    this.domainChecks(values, [], errors);
    let status = 400;
    if (Object.keys(errors).length === 0) {
      try {
        const created = await this.createProfile.execute(principal, workspace, values);
        return res.redirect(303, `${routes.baseline(ws.workspace.slug, created.id)}?saved=created`);
      } catch (error) {
        status = refusalStatus(error, errors);
      }
    }
    await this.renderForm(res, principal, ws, { values, errors }, status);
  }

  @Get('snapshots/:snapshotId')
  async snapshot(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('snapshotId') snapshotId: string,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const { profile, snapshot } = await this.getSnapshot.execute(principal, workspace, snapshotId);
    const run = await this.getRun.execute(principal, snapshot.run_id).catch(() => null);
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'baselines' });
    sendPage(res, this.views.render('baselines/snapshot', { title: `Snapshot of ${profile.name}`, shell, base: this.base(ws), profile, snapshot, run }));
  }

  @Get('compare-results/:resultId')
  async compareResult(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('resultId') resultId: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const { profile, result, finding_kinds } = await this.getCompareResult.execute(principal, workspace, resultId);
    const filters = { type: queryValue(query.type), kind: queryValue(query.kind), limit: queryValue(query.limit) };
    const cursor = queryValue(query.cursor);
    const checked = await validateForm(ListFindingsRequest, { ...filters, cursor });
    if (!checked.value) throw BaselineErrors.invalidQuery(Object.values(checked.errors)[0]);
    const page = await this.listFindings.execute(principal, workspace, profile.id, result.id, checked.value);
    const run = await this.getRun.execute(principal, result.run_id).catch(() => null);
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'baselines' });
    const self = routes.baselineCompareResult(ws.workspace.slug, result.id);
    const kinds = [...new Set([...finding_kinds, ...(filters.kind ? [filters.kind] : [])])].sort();
    sendPage(
      res,
      this.views.render('baselines/compare-result', {
        title: `Compare result · ${profile.name}`,
        shell,
        base: this.base(ws),
        profile,
        result,
        run,
        filters,
        filtered: Boolean(filters.type || filters.kind),
        typeOptions: FINDING_TYPE_OPTIONS.map((o) => ({ ...o, selected: o.value === filters.type })),
        kindOptions: kinds.map((k) => ({ value: k, selected: k === filters.kind })),
        findings: page.items.map(toFindingRow),
        nextUrl: page.next_cursor ? self + queryString({ ...filters, cursor: page.next_cursor }) : null,
        firstUrl: cursor ? self + queryString(filters) : null,
      }),
    );
  }

  @Get(':id/edit')
  async editForm(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { ws, profile } = await this.editable(principal, workspace, id);
    const values: BaselineFormValues = {
      name: profile.name,
      source_environment: profile.source_environment?.slug ?? '',
      policy_kinds: profile.policy_kinds,
    };
    await this.renderForm(res, principal, ws, { values, errors: {}, profile }, 200);
  }

  @Post(':id')
  async update(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { ws, profile } = await this.editable(principal, workspace, id);
    const entered = formValuesOf(body);
    const { errors } = await validateForm(UpdateBaselineRequest, { ...body, name: entered.name, policy_kinds: entered.policy_kinds });
    const values = { ...entered, source_environment: profile.source_environment?.slug ?? '' };
    this.domainChecks(values, profile.policy_kinds, errors);
    let status = 400;
    if (Object.keys(errors).length === 0) {
      try {
        await this.updateProfile.execute(principal, workspace, profile.id, { name: values.name, policy_kinds: values.policy_kinds });
        return res.redirect(303, `${routes.baseline(ws.workspace.slug, profile.id)}?saved=updated`);
      } catch (error) {
        status = refusalStatus(error, errors);
      }
    }
    await this.renderForm(res, principal, ws, { values, errors, profile }, status);
  }

  /**
   * The compare form's environment comes from a select, but runs start at
   * /w/:w/e/:environment/operations: a 307 keeps the POST (and its CSRF token) on the way there.
   */
  @Post(':id/compare')
  compare(
    @Param('workspace') workspace: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): void {
    const environment = typeof body.environment === 'string' ? body.environment : '';
    if (!SLUG.test(environment)) throw BaselineErrors.compareTargetMissing();
    res.redirect(307, routes.environmentOperations(workspace, environment));
  }

  @Get(':id')
  async detail(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const profile = await this.getProfile.execute(principal, workspace, id);
    const [results, environments, started] = await Promise.all([
      this.listCompareResults.execute(principal, workspace, profile.id),
      this.listing.listEnvironments(ws.workspace.id, ws.scope),
      describeStart(this.getRun, principal, query.started, query.created),
    ]);
    const saved = SAVED_MESSAGES[queryValue(query.saved) ?? ''];
    const flash = started ?? (saved ? { tone: 'success', message: saved } : null);
    const self = routes.baseline(ws.workspace.slug, profile.id);
    const source = profile.source_environment;
    const hasSnapshot = profile.snapshots.some((s) => s.status === 'complete');
    const compareTargets = environments.filter((e) => this.allowed(ws, e, CAPABILITIES.BASELINES_COMPARE));
    const capture = {
      action: source ? routes.environmentOperations(ws.workspace.slug, source.slug) : null,
      disabledReason: !source
        ? 'The source environment is not available.'
        : this.allowed(ws, source, CAPABILITIES.BASELINES_CAPTURE)
          ? null
          : 'Your role does not allow capturing baselines (it needs the "baselines.capture" capability).',
    };
    const compare = {
      action: routes.baselineCompare(ws.workspace.slug, profile.id),
      environments: compareTargets.map((e) => ({ slug: e.slug, name: e.displayName })),
      disabledReason:
        compareTargets.length === 0
          ? 'Your role does not allow baseline compares (it needs the "baselines.compare" capability).'
          : hasSnapshot
            ? null
            : 'Capture a baseline first: there is no complete snapshot to compare with.',
    };
    // Every environment at once, as one fan-out run: for members who see them all and may fan out.
    const compareAll =
      !compare.disabledReason && ws.scope.allEnvironments && ws.capabilities.includes(CAPABILITIES.OPERATIONS_BULK)
        ? { action: routes.fanOut(ws.workspace.slug) }
        : null;
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'baselines' });
    sendPage(
      res,
      this.views.render('baselines/detail', {
        compareAll,
        title: profile.name,
        shell,
        base: this.base(ws),
        self,
        profile,
        results,
        flash,
        capture,
        compare,
        canManage: source ? this.allowed(ws, source, CAPABILITIES.BASELINES_MANAGE) : false,
      }),
    );
  }

  private base(ws: WorkspaceAccess): string {
    return routes.baselines(ws.workspace.slug);
  }

  private allowed(ws: WorkspaceAccess, environment: { id: string }, capability: Capability): boolean {
    return this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId: environment.id, capability }).allowed;
  }

  /** The workspace, for someone who may manage baselines in it (404 outside, 403 without). */
  private async manager(principal: RequestAccess, workspace: string): Promise<WorkspaceAccess> {
    const ws = await this.access.workspaceOf(principal, workspace);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.BASELINES_MANAGE });
    return ws;
  }

  /** A visible profile its source lets the user manage (404 when hidden, 403 without baselines.manage). */
  private async editable(principal: RequestAccess, workspace: string, id: string): Promise<{ ws: WorkspaceAccess; profile: BaselineView }> {
    const ws = await this.access.workspaceOf(principal, workspace);
    const { snapshots: _snapshots, ...profile } = await this.getProfile.execute(principal, workspace, id);
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: profile.source_environment?.id,
      capability: CAPABILITIES.BASELINES_MANAGE,
    });
    return { ws, profile };
  }

  /** The profile's own rules beyond the DTO: a real name, known policy kinds. */
  private domainChecks(values: BaselineFormValues, currentKinds: string[], errors: Record<string, string>): void {
    if (!errors.name && values.name.trim() === '') errors.name = 'name must not be empty';
    if (errors.policy_kinds) return;
    const known = new Set([...Object.keys(this.rules.kinds), ...currentKinds]);
    const unknown = values.policy_kinds.find((k) => !known.has(k.trim()));
    if (unknown !== undefined) errors.policy_kinds = `Unknown policy kind "${unknown}".`;
  }

  private async renderForm(
    res: Response,
    principal: RequestAccess,
    ws: WorkspaceAccess,
    form: { values: BaselineFormValues; errors: Record<string, string>; profile?: BaselineView },
    status: number,
  ): Promise<void> {
    const [shell, environments] = await Promise.all([
      this.shell.execute(principal, { workspace: ws, section: 'baselines' }),
      this.listing.listEnvironments(ws.workspace.id, ws.scope),
    ]);
    const { values, errors, profile } = form;
    const kinds = [...new Set([...Object.keys(this.rules.kinds), ...(profile?.policy_kinds ?? [])])].sort();
    const base = this.base(ws);
    sendPage(
      res,
      this.views.render('baselines/form', {
        title: profile ? `Edit ${profile.name}` : 'New baseline profile',
        shell,
        base,
        profile: profile ?? null,
        action: profile ? routes.baseline(ws.workspace.slug, profile.id) : base,
        cancel: profile ? routes.baseline(ws.workspace.slug, profile.id) : base,
        values,
        errors,
        environments: environments.map((e) => ({ slug: e.slug, name: e.displayName, selected: e.slug === values.source_environment })),
        kinds: kinds.map((k) => ({ value: k, checked: values.policy_kinds.includes(k) })),
        // Unknown kinds typed into a forged form are shown back so the error makes sense.
        extraKinds: values.policy_kinds.filter((k) => !kinds.includes(k)),
      }),
      status,
    );
  }
}

/**
 * A domain refusal of the form's data becomes a message on the form (a taken name beside the
 * name, 409 like the API; anything else invalid on top, 400). Other errors are rethrown.
 */
function refusalStatus(error: unknown, errors: Record<string, string>): number {
  if (!isDomainError(error) || (error.kind !== 'invalid' && error.kind !== 'conflict')) throw error;
  if (error.kind === 'conflict') {
    errors.name = error.message;
    return 409;
  }
  errors._form = error.message;
  return 400;
}
