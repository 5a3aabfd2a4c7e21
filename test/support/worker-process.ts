import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { loadOperationCatalogFrom } from '../../src/modules/operations/adapters/config/operation-catalog.loader';
import { OPERATION_CATALOG_SOURCE } from '../../src/modules/operations/operations.tokens';
import { loadAppConfig } from '../../src/shared/adapters/config/app-config';
import { WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from './slow-handlers';
import { shippedCatalog } from './test-app';

/**
 * A separate app process for e2e tests that need a worker they can kill for real:
 *
 *   node -r ts-node/register/transpile-only test/support/worker-process.ts
 *
 * Built like startTestApp (shipped catalog plus the test types, test handler modules), with
 * everything else from the environment the test passes: APP_ROLES (usually `worker`),
 * DATABASE_URL, REDIS_URL, QUEUE_PREFIX, QUEUE_LOCK_DURATION_MS, QUEUE_STALLED_INTERVAL_MS, ….
 * Prints `worker ready` on stdout once `app.init()` resolved, then stays alive until killed.
 * SIGTERM / SIGINT close the app gracefully; when spawned with an IPC channel it also exits as
 * soon as its parent goes away, so a crashed test run never leaves a worker behind.
 */
async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  // Never point a test worker at real data.
  const dbName = new URL(config.databaseUrl).pathname.slice(1);
  if (!dbName.includes('test')) throw new Error(`Refusing to use database "${dbName}": not a test database.`);

  const catalog = shippedCatalog(WORKER_PROCESS_TYPES);
  // As main.ts does: an unsafe catalog stops the boot before any connection is opened.
  loadOperationCatalogFrom(catalog, config);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { imports: WORKER_PROCESS_IMPORTS })],
  })
    .overrideProvider(OPERATION_CATALOG_SOURCE)
    .useValue(catalog)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: ['error', 'warn'] });

  let closing: Promise<void> | null = null;
  const shutdown = (code: number) => {
    closing ??= app
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(code));
    return closing;
  };
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
  // The parent test process died (or closed the channel): no one will ever kill us.
  if (process.send) process.once('disconnect', () => void shutdown(0));

  await app.init();
  process.stdout.write(`worker ready\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`worker process could not start:\n${error.stack ?? error.message}\n`);
  process.exit(1);
});
