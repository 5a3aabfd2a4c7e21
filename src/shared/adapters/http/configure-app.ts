import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';
import { ViewService } from '../views/view.service';
import { ErrorFilter } from './error.filter';
import { RejectNulPipe } from './reject-nul.pipe';
import { RejectUndeclaredKeysPipe } from './reject-undeclared-keys.pipe';
import { requireJsonBodies, verifyJsonBody } from './request-body';
import { securityHeaders } from './security-headers';
import { setupOpenApi } from './openapi';

export const MAX_JSON_BODY = '100kb';

/** Everything main.ts does to the app, shared with tests (createNestApplication skips main.ts). */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Every page and API answer is per-user truth sent with no-store or read fresh: hashing each
  // body for an ETag (a measurable share of a page's CPU) would only feed caches that never reuse it.
  express.disable('etag');
  express.use(securityHeaders); // first, so even body-parser rejections carry the headers
  // Refusals before any body is read or parsed (request-body.ts): no compressed bodies, UTF-8
  // only, JSON routes take JSON, nesting bounded while parsing.
  express.use('/api', requireJsonBodies);
  express.use(json({ limit: MAX_JSON_BODY, inflate: false, verify: verifyJsonBody }));
  express.use(urlencoded({ limit: MAX_JSON_BODY, extended: false, inflate: false }));
  app.useGlobalPipes(
    new RejectNulPipe(),
    new RejectUndeclaredKeysPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new ErrorFilter(app.get(ViewService, { strict: false })));
  app.enableShutdownHooks();
  setupOpenApi(app);
}
