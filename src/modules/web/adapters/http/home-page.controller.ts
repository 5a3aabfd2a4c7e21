import { Body, Controller, Get, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { Authenticated, CurrentAccess, RequestAccess } from './route-access';
import { CreateWorkspace } from '../../../rbac/application/create-workspace.use-case';
import { IsPlatformAdmin } from '../../../rbac/application/is-platform-admin.query';
import { ListMemberWorkspaces } from '../../../rbac/application/list-member-workspaces.query';
import { RbacErrors } from '../../../rbac/core/rbac-errors';
import { GetPageShell } from '../../application/page-shell.query';
import { NewWorkspaceForm } from './workspace-forms.request';
import { sendPage } from './send-page';
import { routes } from '../../../../shared/core/routes';

type Errors = Record<string, string>;
interface NewWorkspace {
  values: { slug: string; name: string };
  errors: Errors;
}

const FIELD_OF_CODE: Record<string, string> = {
  invalid_workspace_slug: 'slug',
  workspace_slug_taken: 'slug',
  invalid_workspace_name: 'name',
};

/**
 * `/`: the signed-in user's workspaces, or straight into the only one. Platform administrators
 * stay here (the "New workspace" form is theirs) and create workspaces with `POST /workspaces`.
 */
@Controller()
@Authenticated()
export class HomePageController {
  constructor(
    @Inject(ListMemberWorkspaces) private readonly memberWorkspaces: ListMemberWorkspaces,
    @Inject(IsPlatformAdmin) private readonly platformAdmin: IsPlatformAdmin,
    @Inject(CreateWorkspace) private readonly createWorkspace: CreateWorkspace,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async home(@CurrentAccess() caller: RequestAccess, @Res() res: Response): Promise<void> {
    const [workspaces, isAdmin] = await Promise.all([this.memberWorkspaces.execute(caller), this.platformAdmin.execute(caller)]);
    if (workspaces.length === 1 && !isAdmin) return res.redirect(303, routes.workspace(workspaces[0].slug));
    await this.render(res, caller, isAdmin ? { values: { slug: '', name: '' }, errors: {} } : null, 200);
  }

  @Post('workspaces')
  async create(@CurrentAccess() caller: RequestAccess, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    // Refused (403) before the form is read for anyone but a platform administrator, like the API.
    if (!(await this.platformAdmin.execute(caller))) throw RbacErrors.notPlatformAdmin();
    const raw = asRecord(body) ?? {};
    const values = { slug: typeof raw.slug === 'string' ? raw.slug : '', name: typeof raw.name === 'string' ? raw.name : '' };
    const { value, errors } = await validateForm(NewWorkspaceForm, body);
    let status = 400;
    if (value) {
      try {
        const created = await this.createWorkspace.execute(caller, value);
        return res.redirect(303, routes.workspace(created.slug));
      } catch (error) {
        if (!isDomainError(error) || (error.kind !== 'invalid' && error.kind !== 'conflict')) throw error;
        errors[FIELD_OF_CODE[error.code] ?? '_form'] = error.message;
        if (error.kind === 'conflict') status = 409;
      }
    }
    await this.render(res, caller, { values, errors }, status);
  }

  private async render(res: Response, caller: RequestAccess, newWorkspace: NewWorkspace | null, status: number): Promise<void> {
    const [workspaces, shell] = await Promise.all([this.memberWorkspaces.execute(caller), this.shell.execute(caller, { section: 'home' })]);
    sendPage(
      res,
      this.views.render('home', { title: 'Workspaces', shell, workspaces, newWorkspace, createAction: routes.workspaceCreate() }),
      status,
    );
  }
}
