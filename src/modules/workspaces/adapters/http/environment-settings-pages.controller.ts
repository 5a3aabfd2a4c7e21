import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { routes } from '../../../../shared/core/routes';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { sendPage } from '../../../web/adapters/http/send-page';
import { ArchiveEnvironment } from '../../application/archive-environment.use-case';
import { CreateEnvironment } from '../../application/create-environment.use-case';
import { GetEnvironmentSettings } from '../../application/environment-settings.query';
import { RestoreEnvironment } from '../../application/restore-environment.use-case';
import { UpdateEnvironment } from '../../application/update-environment.use-case';
import { CreateEnvironmentForm, RenameEnvironmentForm } from './environment-settings.forms';

const SAVED_MESSAGES: Record<string, string> = {
  created: 'Environment created.',
  renamed: 'Environment renamed.',
  archived: 'Environment archived. Its history stays readable; it accepts no new runs until restored.',
  restored: 'Environment restored. It accepts runs again.',
};

/** Which form field a domain refusal belongs beside. */
const FIELD_OF_CODE: Record<string, string> = {
  invalid_slug: 'slug',
  environment_exists: 'slug',
  invalid_display_name: 'display_name',
  invalid_provider: 'provider_kind',
};

type Errors = Record<string, string>;

interface SettingsForms {
  create?: { values: Record<string, string>; errors: Errors };
  /** The rename form of one environment, refused. */
  rename?: { slug: string; value: string; errors: Errors };
}

/**
 * `/w/:workspace/settings/environments`: the workspace's environments (archived ones with a
 * badge), a create form, and per environment a rename form and archive/restore, through the same
 * use cases as the environments API. Forms carry the session's CSRF token; refusals of a form's
 * data come back beside their field with 400; outsiders get the API's 404, members without
 * environments.manage its 403.
 */
@Controller('w/:workspace/settings/environments')
@Authenticated()
export class EnvironmentSettingsPagesController {
  constructor(
    @Inject(GetEnvironmentSettings) private readonly settings: GetEnvironmentSettings,
    @Inject(CreateEnvironment) private readonly create: CreateEnvironment,
    @Inject(UpdateEnvironment) private readonly update: UpdateEnvironment,
    @Inject(ArchiveEnvironment) private readonly archive: ArchiveEnvironment,
    @Inject(RestoreEnvironment) private readonly restore: RestoreEnvironment,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async page(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Query('saved') saved: unknown, @Res() res: Response): Promise<void> {
    const message = typeof saved === 'string' ? SAVED_MESSAGES[saved] : undefined;
    await this.render(res, caller, workspace, {}, 200, message ? { tone: 'success', message } : null);
  }

  @Post()
  async created(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const raw = asRecord(body) ?? {};
    const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
    const values = { slug: text('slug'), display_name: text('display_name'), provider_kind: text('provider_kind') };
    const { value, errors } = await validateForm(CreateEnvironmentForm, body);
    if (value) {
      try {
        await this.create.execute(caller, workspace, { slug: value.slug, display_name: value.display_name, provider: { kind: value.provider_kind } });
        return res.redirect(303, routes.environmentSettings(workspace, 'created'));
      } catch (error) {
        fieldErrorOf(error, errors);
      }
    }
    await this.render(res, caller, workspace, { create: { values, errors } }, 400);
  }

  @Post(':environment')
  async renamed(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const raw = asRecord(body) ?? {};
    const { value, errors } = await validateForm(RenameEnvironmentForm, body);
    if (value) {
      try {
        await this.update.execute(caller, workspace, environment, { display_name: value.display_name });
        return res.redirect(303, routes.environmentSettings(workspace, 'renamed'));
      } catch (error) {
        fieldErrorOf(error, errors);
      }
    }
    const given = typeof raw.display_name === 'string' ? raw.display_name : '';
    await this.render(res, caller, workspace, { rename: { slug: environment, value: given, errors } }, 400);
  }

  @Post(':environment/archive')
  async archived(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('environment') environment: string, @Res() res: Response): Promise<void> {
    await this.archive.execute(caller, workspace, environment);
    res.redirect(303, routes.environmentSettings(workspace, 'archived'));
  }

  @Post(':environment/restore')
  async restored(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('environment') environment: string, @Res() res: Response): Promise<void> {
    await this.restore.execute(caller, workspace, environment);
    res.redirect(303, routes.environmentSettings(workspace, 'restored'));
  }

  private async render(
    res: Response,
    caller: RequestAccess,
    workspace: string,
    forms: SettingsForms,
    status: number,
    flash: { tone: string; message: string } | null = null,
  ): Promise<void> {
    const settings = await this.settings.execute(caller, workspace);
    const slug = settings.ws.workspace.slug;
    const shell = await this.shell.execute(caller, { workspace: settings.ws, section: 'environments' });
    const create = forms.create ?? { values: { slug: '', display_name: '', provider_kind: 'fixture' }, errors: {} };
    sendPage(
      res,
      this.views.render('workspaces/settings-environments', {
        title: `Environments · ${settings.ws.workspace.name}`,
        shell,
        flash,
        workspace: settings.ws.workspace,
        environments: settings.environments.map((e) => {
          const refused = forms.rename?.slug === e.slug ? forms.rename : null;
          return {
            ...e,
            href: routes.environment(slug, e.slug),
            renameAction: routes.environmentSettingsRename(slug, e.slug),
            archiveAction: routes.environmentSettingsArchive(slug, e.slug),
            restoreAction: routes.environmentSettingsRestore(slug, e.slug),
            renameValue: refused ? refused.value : e.name,
            renameErrors: refused?.errors ?? {},
            domId: `env-${e.slug}`,
          };
        }),
        renameFormError: forms.rename && !settings.environments.some((e) => e.slug === forms.rename!.slug) ? forms.rename.errors : null,
        canCreate: settings.canCreate,
        createAction: routes.environmentSettings(slug),
        createValues: create.values,
        createErrors: create.errors,
        providerKinds: settings.providerKinds.map((kind) => ({ value: kind, selected: kind === create.values.provider_kind })),
      }),
      status,
    );
  }
}

/** A domain refusal of the form's data goes beside its field (or on top); anything else is rethrown. */
function fieldErrorOf(error: unknown, errors: Errors): void {
  if (!isDomainError(error) || (error.kind !== 'invalid' && error.code !== 'environment_exists')) throw error;
  errors[FIELD_OF_CODE[error.code] ?? '_form'] = error.message;
}
