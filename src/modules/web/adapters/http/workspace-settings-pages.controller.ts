import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { routes } from '../../../../shared/core/routes';
import { RenameWorkspace } from '../../../rbac/application/rename-workspace.use-case';
import { GetWorkspaceSettings } from '../../../rbac/application/workspace-settings.query';
import { WorkspaceAccess } from '../../../rbac/core/access-control';
import { GetPageShell } from '../../application/page-shell.query';
import { Authenticated, CurrentAccess, RequestAccess } from './route-access';
import { sendPage } from './send-page';
import { RenameWorkspaceForm } from './workspace-forms.request';

/**
 * `/w/:workspace/settings`: the workspace's name (owners: `workspace.manage`), through the same use
 * case as `PATCH /api/v1/workspaces/:workspace`. Non-members get the 404 of an unknown workspace,
 * other members 403. Kept to the rename form; other settings sections live in their own files.
 */
@Controller('w/:workspace/settings')
@Authenticated()
export class WorkspaceSettingsPagesController {
  constructor(
    @Inject(GetWorkspaceSettings) private readonly settings: GetWorkspaceSettings,
    @Inject(RenameWorkspace) private readonly renameWorkspace: RenameWorkspace,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async page(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') slug: string,
    @Query('saved') saved: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const access = await this.settings.execute(caller, slug);
    const flash = saved === 'renamed' ? { tone: 'success', message: 'Workspace renamed. Its address stays the same.' } : null;
    await this.render(res, caller, access, access.workspace.name, {}, 200, flash);
  }

  @Post('name')
  async rename(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') slug: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const access = await this.settings.execute(caller, slug);
    const raw = asRecord(body) ?? {};
    const name = typeof raw.name === 'string' ? raw.name : '';
    const { value, errors } = await validateForm(RenameWorkspaceForm, body);
    if (value) {
      try {
        await this.renameWorkspace.execute(caller, slug, value);
        return res.redirect(303, routes.workspaceSettings(slug, 'renamed'));
      } catch (error) {
        if (!isDomainError(error) || error.kind !== 'invalid') throw error;
        errors[error.code === 'invalid_workspace_name' ? 'name' : '_form'] = error.message;
      }
    }
    await this.render(res, caller, access, name, errors, 400, null);
  }

  private async render(
    res: Response,
    caller: RequestAccess,
    access: WorkspaceAccess,
    name: string,
    errors: Record<string, string>,
    status: number,
    flash: { tone: string; message: string } | null,
  ): Promise<void> {
    const shell = await this.shell.execute(caller, { workspace: access, section: 'settings' });
    sendPage(
      res,
      this.views.render('workspaces/settings', {
        title: `Settings · ${access.workspace.name}`,
        shell,
        flash,
        workspace: access.workspace,
        renameAction: routes.workspaceRename(access.workspace.slug),
        name,
        errors,
      }),
      status,
    );
  }
}
