import { Global, Module } from '@nestjs/common';
import { AssetsController } from './adapters/http/assets.controller';
import { HomePageController } from './adapters/http/home-page.controller';
import { PageShellService } from './adapters/http/page-shell.service';

/**
 * The operator console's frame: the layout's navigation model, the home page and static assets.
 * Global so every module's page controllers build their pages inside the same shell.
 */
@Global()
@Module({
  controllers: [HomePageController, AssetsController],
  providers: [PageShellService],
  exports: [PageShellService],
})
export class WebModule {}
