import { Global, Module } from '@nestjs/common';
import { AccountPagesController } from './adapters/http/account-pages.controller';
import { AssetsController } from './adapters/http/assets.controller';
import { HomePageController } from './adapters/http/home-page.controller';
import { MembersPagesController } from './adapters/http/members-pages.controller';
import { WorkspaceSettingsPagesController } from './adapters/http/workspace-settings-pages.controller';
import { GetPageShell } from './application/page-shell.query';

/**
 * The operator console's frame: the layout's navigation model, the home page, the signed-in
 * user's account page and the workspace's members page (their use cases are rbac's) and static assets.
 * Global so every module's page controllers build their pages inside the same shell.
 */
@Global()
@Module({
  controllers: [HomePageController, AccountPagesController, MembersPagesController, WorkspaceSettingsPagesController, AssetsController],
  providers: [GetPageShell],
  exports: [GetPageShell],
})
export class WebModule {}
