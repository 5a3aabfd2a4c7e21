import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadOperationCatalog } from './modules/operations/adapters/config/operation-catalog.loader';
import { loadAppConfig } from './shared/adapters/config/app-config';
import { MetricsListener } from './modules/health/adapters/metrics-listener';
import { firstRunAnnouncement } from './modules/rbac/adapters/boot/first-run-announcement';
import { configureApp } from './shared/adapters/http/configure-app';

/** One process runs the roles in APP_ROLES: web (HTTP), worker (BullMQ), scheduler (cron). */
async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  // Refuse to start on unsafe lifecycle policies before opening any connection.
  loadOperationCatalog(config);
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, bufferLogs: false });
  configureApp(app);
  const logger = new Logger('Opsdeck');
  if (config.roles.includes('web')) {
    await app.listen(config.port, '0.0.0.0');
    logger.log(`Opsdeck is listening on http://127.0.0.1:${config.port} (roles: ${config.roles.join(', ')})`);
    // A fresh installation (no users): the one-time setup link, printed once at this boot.
    const setupLine = await firstRunAnnouncement(app, `http://127.0.0.1:${config.port}`);
    if (setupLine) logger.log(setupLine);
  } else {
    await app.init();
    logger.log(`Opsdeck started without a public port (roles: ${config.roles.join(', ')})`);
  }
  if (config.metricsListen) {
    const bound = await app.get(MetricsListener).listen(config.metricsListen);
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    logger.log(`Metrics and health probes on http://${host}:${bound.port}/metrics`);
  }
}

bootstrap().catch((error: Error) => {
  // Boot failures (bad config, invalid lifecycle policies) are operator messages, not stacks.
  process.stderr.write(`Opsdeck could not start:\n${error.message}\n`);
  process.exit(1);
});
