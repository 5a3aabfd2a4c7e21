// The pages benchmark's bare contender in its own process (as the real app is, app-server-child.ts),
// so neither shares an event loop with the load generator: one NestJS module, one controller
// (platform-express, no database, guards or middleware) rendering the project's templates, partials
// and helpers through ViewService with a static model — the one the real app rendered, recorded
// in its process and passed here over IPC. Commands: "start" { projectRoot, models, sql? } → { port }.
// With `sql` it is the *floor* contender: before rendering, each request replays the statements the
// real app sent for that page (same text, values and prepared names, one after another, on a plain
// pg pool with the app's session settings) — the database work of the page with none of the app's
// own code around it.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Res } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { APP_SESSION_OPTIONS } from '../../src/shared/adapters/persistence/mikro-orm.config';
import { sendPage } from '../../src/modules/web/adapters/http/send-page';
import { AppConfig } from '../../src/shared/adapters/config/app-config';
import { ViewService } from '../../src/shared/adapters/views/view.service';
import { serveParent } from './child-runtime';
import { CapturedStatement } from './sql-capture';

type PageView = 'operations/hub' | 'operations/run';
export type BareModels = Record<PageView, Record<string, unknown>>;

export interface BarePagesStart {
  projectRoot: string;
  models: BareModels;
  /** The floor contender: the database and the statements the app sent per page. */
  sql?: { url: string; poolSize: number; statements: Record<PageView, CapturedStatement[]> };
}

const BARE_MODELS = Symbol('BARE_MODELS');
const BARE_VIEWS = Symbol('BARE_VIEWS');
const FLOOR_SQL = Symbol('FLOOR_SQL');

interface FloorSql {
  pool: Pool;
  statements: Record<PageView, CapturedStatement[]>;
}

@Controller()
class BarePagesController {
  constructor(
    @Inject(BARE_VIEWS) private readonly views: ViewService,
    @Inject(BARE_MODELS) private readonly models: BareModels,
    @Inject(FLOOR_SQL) private readonly sql: FloorSql | null,
  ) {}

  @Get('w/:workspace/operations')
  async hub(@Res() res: Response): Promise<void> {
    await this.replay('operations/hub');
    sendPage(res, this.views.render('operations/hub', this.models['operations/hub']));
  }

  @Get('operations/:id')
  async run(@Res() res: Response): Promise<void> {
    await this.replay('operations/run');
    sendPage(res, this.views.render('operations/run', this.models['operations/run']));
  }

  private async replay(view: PageView): Promise<void> {
    if (!this.sql) return;
    for (const s of this.sql.statements[view]) await this.sql.pool.query({ name: s.name, text: s.text, values: s.values });
  }
}

let app: INestApplication | undefined;
let pool: Pool | undefined;

serveParent(
  {
    start: async ({ projectRoot, models, sql }: BarePagesStart) => {
      const views = new ViewService({ projectRoot } as AppConfig);
      views.onModuleInit();
      pool = sql ? new Pool({ connectionString: sql.url, max: sql.poolSize, options: APP_SESSION_OPTIONS }) : undefined;
      const floor: FloorSql | null = pool && sql ? { pool, statements: sql.statements } : null;
      @Module({
        controllers: [BarePagesController],
        providers: [
          { provide: BARE_VIEWS, useValue: views },
          { provide: BARE_MODELS, useValue: models },
          { provide: FLOOR_SQL, useValue: floor },
        ],
      })
      class BarePagesModule {}
      app = await NestFactory.create(BarePagesModule, { logger: ['error'] });
      await app.listen(0, '127.0.0.1');
      return { port: (app.getHttpServer().address() as AddressInfo).port };
    },
  },
  async () => {
    await app?.close();
    await pool?.end();
  },
);
