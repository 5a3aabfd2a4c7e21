import { INestApplication, ModuleMetadata, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppModule } from '../../src/app.module';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { loadOperationCatalogFrom } from '../../src/modules/operations/adapters/config/operation-catalog.loader';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { OPERATION_CATALOG_SOURCE } from '../../src/modules/operations/operations.tokens';
import { AppConfig, AppRole, findProjectRoot, loadAppConfig } from '../../src/shared/adapters/config/app-config';
import { redisOptionsFromUrl } from '../../src/shared/adapters/redis-connection';
import { configureApp } from '../../src/shared/adapters/http/configure-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { TEST_DB_PREFIX, TEST_REDIS_URL } from './test-env';

export interface TestAppOptions {
  roles?: AppRole[];
  env?: Record<string, string>;
  /** Extra catalog types merged into the shipped catalog. */
  extraTypes?: Record<string, unknown>;
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
  /** Reuse a database (e.g. to restart the app over the same data). */
  database?: TestDatabase;
  queuePrefix?: string;
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: TestDatabase;
  get<T>(token: unknown): T;
  /** Closes the app; `keepDatabase` leaves the database for a restarted app. */
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

const ROOT = findProjectRoot(__dirname); // from sources and from a compiled copy alike

export function shippedCatalog(extraTypes: Record<string, unknown> = {}): unknown {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'config', 'operation-catalog.json'), 'utf8'));
  return { ...raw, types: { ...raw.types, ...extraTypes } };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const config = loadAppConfig({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: options.queuePrefix ?? `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`,
    QUEUE_LOCK_DURATION_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '2000',
    APP_ROLES: (options.roles ?? ['web', 'worker']).join(','),
    ...options.env,
  });
  // An empty APP_ROLES means "the defaults" to the app; a test asking for no roles means none.
  if (options.roles) config.roles = [...options.roles];
  let app: INestApplication | undefined;
  try {
    // As main.ts does: an unsafe catalog stops the boot before any connection is opened.
    loadOperationCatalogFrom(shippedCatalog(options.extraTypes), config);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, { imports: options.imports, providers: options.providers })],
    })
      .overrideProvider(OPERATION_CATALOG_SOURCE)
      .useValue(shippedCatalog(options.extraTypes))
      .compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureApp(app);
    await app.init();
  } catch (error) {
    // A half-built app still holds connections; Jest would never exit.
    await app?.close().catch(() => undefined);
    if (!options.database) await db.drop();
    throw error;
  }
  const ready = app;
  return {
    app: ready,
    config,
    db,
    get: <T>(token: unknown) => ready.get(token as never) as T,
    close: async ({ keepDatabase = false } = {}) => {
      await ready.close();
      if (!keepDatabase) {
        await obliterate(config).catch(() => undefined);
        if (!options.database) await db.drop();
      }
    },
  };
}

/** Removes this test's queue keys from the shared Redis. */
async function obliterate(config: AppConfig): Promise<void> {
  if (config.redisUrl !== TEST_REDIS_URL) return;
  // skipMetasUpdate: the constructor would otherwise rewrite the queue's meta key after obliterate.
  const queue = new Queue(RUN_QUEUE_NAME, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: config.queuePrefix, skipMetasUpdate: true });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}

/** The run once it has reached `completed`, polled through the service. */
export function waitForCompletedRun(service: OperationRunService, id: string): Promise<OperationRun> {
  return waitFor(() => service.findById(id), (run) => run?.status === 'completed', {
    what: `run ${id} to complete`,
  }) as Promise<OperationRun>;
}
