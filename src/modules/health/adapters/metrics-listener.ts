import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, isIP } from 'node:net';
import { OperationsMetrics } from '../../operations/adapters/metrics/operations-metrics';
import { AppConfig, ListenAddress } from '../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../shared/adapters/config/app-config.token';
import { CheckReadiness } from '../application/check-readiness.query';

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * The metrics listener (METRICS_LISTEN): `/metrics`, `/health/live` and `/health/ready` on an
 * address of their own, opened by main.ts in every process whatever its roles — so worker- and
 * scheduler-only processes, which open no public port, can be scraped and probed — and kept off
 * the public port, where anonymous users would read fleet-wide run counts. Plain node:http: a
 * scrape passes through none of the web stack (sessions, CSRF, pages).
 */
@Injectable()
export class MetricsListener implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | null = null;
  private readonly routes: Record<string, (request: IncomingMessage) => Promise<Reply>> = {
    '/metrics': (request) => this.scrape(request),
    '/health/live': async () => json(200, { status: 'ok' }),
    '/health/ready': async () => {
      const { ready, body } = await this.readiness.execute();
      return json(ready ? 200 : 503, body);
    },
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: OperationsMetrics,
    private readonly readiness: CheckReadiness,
  ) {}

  /** Binds the address (port 0 picks a free one) and answers the bound address. */
  async listen(address: ListenAddress): Promise<AddressInfo> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: Error) =>
        reject(new Error(`METRICS_LISTEN ${address.host}:${address.port}: ${error.message} (give each process on a host its own port, or set METRICS_LISTEN=off)`)),
      );
      server.listen(address.port, address.host, () => resolve());
    });
    server.removeAllListeners('error');
    server.on('error', (error) => this.logger.error(`Metrics listener error: ${error.message}`));
    this.server = server;
    if (!isLoopback(address.host) && !this.config.metricsToken) {
      this.logger.warn(
        `METRICS_LISTEN binds ${address.host} without METRICS_TOKEN: whoever reaches it reads fleet-wide run counts.`,
      );
    }
    return server.address() as AddressInfo;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = this.routes[new URL(request.url ?? '/', 'http://metrics.invalid').pathname];
    let reply: Reply;
    if (!route) reply = error(404, 'not_found', 'Not found.');
    else if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply = { ...error(405, 'method_not_allowed', 'Only GET and HEAD are allowed.'), headers: { Allow: 'GET, HEAD' } };
    } else {
      reply = await route(request).catch((e: Error) => {
        this.logger.warn(`Metrics listener could not answer ${request.url}: ${e.message}`);
        return error(503, 'unavailable', 'Could not collect the figures; try again.');
      });
    }
    response.writeHead(reply.status, {
      'Content-Type': reply.type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...reply.headers,
    });
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  }

  private async scrape(request: IncomingMessage): Promise<Reply> {
    const token = this.config.metricsToken;
    if (token && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) {
      return {
        ...error(401, 'unauthenticated', 'A valid metrics bearer token is required.'),
        headers: { 'WWW-Authenticate': 'Bearer' },
      };
    }
    return { status: 200, type: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }
}

function json(status: number, body: unknown): Reply {
  return { status, type: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

function error(status: number, code: string, message: string): Reply {
  return json(status, { error: { code, message } });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
