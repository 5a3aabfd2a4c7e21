import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { CheckReadiness } from '../application/check-readiness.query';

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: CheckReadiness) {}

  /** The process is up and serving; says nothing about its dependencies. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 503 naming each failing check that this instance's roles need; the details report every check. */
  @Get('ready')
  async ready() {
    const { ready, body } = await this.readiness.execute();
    if (!ready) throw new ServiceUnavailableException(body);
    return body;
  }
}
