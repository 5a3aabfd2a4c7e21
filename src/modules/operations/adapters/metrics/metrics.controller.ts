import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';
import { OperationsMetrics } from './operations-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: OperationsMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts span every workspace: keep it on an internal network, or set METRICS_TOKEN. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException('A valid metrics bearer token is required.');
    }
    return this.metrics.registry.metrics();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
