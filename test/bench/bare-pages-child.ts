// The pages benchmark's bare contender in its own process (as the real app is, app-server-child.ts),
// so neither shares an event loop with the load generator: one NestJS module, one controller
// (platform-express, no database, guards or middleware) rendering the project's templates, partials
// and helpers through ViewService with a static model — the one the real app rendered, recorded
// in its process and passed here over IPC. Commands: "start" { projectRoot, models } → { port }.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Res } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { AddressInfo } from 'node:net';
import { sendPage } from '../../src/modules/web/adapters/http/send-page';
import { AppConfig } from '../../src/shared/adapters/config/app-config';
import { ViewService } from '../../src/shared/adapters/views/view.service';
import { serveParent } from './child-runtime';

export type BareModels = Record<'operations/hub' | 'operations/run', Record<string, unknown>>;

export interface BarePagesStart {
  projectRoot: string;
  models: BareModels;
}

const BARE_MODELS = Symbol('BARE_MODELS');
const BARE_VIEWS = Symbol('BARE_VIEWS');

@Controller()
class BarePagesController {
  constructor(
    @Inject(BARE_VIEWS) private readonly views: ViewService,
    @Inject(BARE_MODELS) private readonly models: BareModels,
  ) {}

  @Get('w/:workspace/operations')
  hub(@Res() res: Response): void {
    sendPage(res, this.views.render('operations/hub', this.models['operations/hub']));
  }

  @Get('operations/:id')
  run(@Res() res: Response): void {
    sendPage(res, this.views.render('operations/run', this.models['operations/run']));
  }
}

let app: INestApplication | undefined;

serveParent(
  {
    start: async ({ projectRoot, models }: BarePagesStart) => {
      const views = new ViewService({ projectRoot } as AppConfig);
      views.onModuleInit();
      @Module({
        controllers: [BarePagesController],
        providers: [
          { provide: BARE_VIEWS, useValue: views },
          { provide: BARE_MODELS, useValue: models },
        ],
      })
      class BarePagesModule {}
      app = await NestFactory.create(BarePagesModule, { logger: ['error'] });
      await app.listen(0, '127.0.0.1');
      return { port: (app.getHttpServer().address() as AddressInfo).port };
    },
  },
  async () => app?.close(),
);
