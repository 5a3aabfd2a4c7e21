import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ReadinessService } from './readiness.service';

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is up and serving; says nothing about its dependencies. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 503 naming each failing check that this instance's roles need; the details report every check. */
  @Get('ready')
  async ready() {
    const { ready, body } = await this.readiness.report();
    if (!ready) throw new ServiceUnavailableException(body);
    return body;
  }
}
