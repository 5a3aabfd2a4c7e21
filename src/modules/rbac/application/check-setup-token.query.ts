import { Inject, Injectable } from '@nestjs/common';
import { FIRST_RUN_REPOSITORY, FirstRunRepository } from '../core/ports/first-run.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { SECRET_PATTERN, sha256Hex } from '../core/secrets';

/** The setup page opens only with the current setup token and while no user exists; else 404, whatever the token. */
@Injectable()
export class CheckSetupToken {
  constructor(@Inject(FIRST_RUN_REPOSITORY) private readonly firstRun: FirstRunRepository) {}

  async execute(token: unknown): Promise<void> {
    const valid = typeof token === 'string' && SECRET_PATTERN.test(token) && (await this.firstRun.setupTokenValid(sha256Hex(token)));
    if (!valid) throw RbacErrors.notFound();
  }
}
