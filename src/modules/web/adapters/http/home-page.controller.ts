import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { Authenticated, CurrentAccess, RequestAccess } from './route-access';
import { ListMemberWorkspaces } from '../../../rbac/application/list-member-workspaces.query';
import { GetPageShell } from '../../application/page-shell.query';
import { sendPage } from './send-page';
import { routes } from '../../../../shared/core/routes';

/** `/`: the signed-in user's workspaces, or straight into the only one. */
@Controller()
@Authenticated()
export class HomePageController {
  constructor(
    @Inject(ListMemberWorkspaces) private readonly memberWorkspaces: ListMemberWorkspaces,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async home(@CurrentAccess() caller: RequestAccess, @Res() res: Response): Promise<void> {
    const workspaces = await this.memberWorkspaces.execute(caller);
    if (workspaces.length === 1) return res.redirect(303, routes.workspace(workspaces[0].slug));
    const shell = await this.shell.execute(caller, { section: 'home' });
    sendPage(res, this.views.render('home', { title: 'Workspaces', shell, workspaces }));
  }
}
