import { Inject, Injectable } from '@nestjs/common';
import { APP_ROLE_LIST } from '../../../shared/core/app-roles';
import { READINESS_PROBE, ReadinessOutcome, ReadinessProbe } from '../core/ports/readiness-probe.port';
import { readinessChecksFor } from '../core/readiness-policy';

export interface ReadinessReport {
  ready: boolean;
  body: ReadinessOutcome['body'] & { roles: string[] };
}

/** `/health/ready` of this instance: the checks its own roles need decide; the rest is reported. */
@Injectable()
export class CheckReadiness {
  constructor(
    @Inject(APP_ROLE_LIST) private readonly roles: readonly string[],
    @Inject(READINESS_PROBE) private readonly probe: ReadinessProbe,
  ) {}

  async execute(): Promise<ReadinessReport> {
    const { required, reported } = readinessChecksFor(this.roles);
    const { ready, body } = await this.probe.run(required, reported);
    return { ready, body: { ...body, roles: [...this.roles] } };
  }
}
