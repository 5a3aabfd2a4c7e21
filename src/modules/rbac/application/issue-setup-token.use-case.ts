import { Inject, Injectable } from '@nestjs/common';
import { FIRST_RUN_REPOSITORY, FirstRunRepository } from '../core/ports/first-run.repository.port';
import { randomSecret, sha256Hex } from '../core/secrets';

/**
 * At a boot on a database without users: a new one-time setup token (only its sha256 is stored,
 * replacing any earlier one, so the previous link stops working). Null once any user exists.
 */
@Injectable()
export class IssueSetupToken {
  constructor(@Inject(FIRST_RUN_REPOSITORY) private readonly firstRun: FirstRunRepository) {}

  async execute(): Promise<string | null> {
    if (await this.firstRun.hasUsers()) return null;
    const token = randomSecret();
    await this.firstRun.replaceSetupToken(sha256Hex(token));
    return token;
  }
}
