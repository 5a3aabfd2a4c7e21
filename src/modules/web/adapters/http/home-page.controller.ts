import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { SessionAuthGuard } from '../../../../shared/adapters/auth/session-auth.guard';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { MemberScopeQueries } from '../../../rbac/core/member-scope.queries';
import { PageShellService } from './page-shell.service';
import { sendPage } from './send-page';

/** `/`: the signed-in user's workspaces, or straight into the only one. */
@Controller()
@UseGuards(SessionAuthGuard)
export class HomePageController {
  constructor(
    @Inject(MemberScopeQueries) private readonly members: MemberScopeQueries,
    @Inject(PageShellService) private readonly shell: PageShellService,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async home(@CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    const workspaces = await this.members.workspacesOf(principal.userId);
    if (workspaces.length === 1) return res.redirect(303, `/w/${encodeURIComponent(workspaces[0].slug)}`);
    const shell = await this.shell.build(principal, { section: 'home' });
    sendPage(res, this.views.render('home', { title: 'Workspaces', shell, workspaces }));
  }
}
