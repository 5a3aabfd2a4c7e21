import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../core/access-context';
import { ApiTokenRepository } from '../core/ports/api-token.repository.port';
import { ApiTokenView, toApiTokenView } from './api-token-view';

/** The caller's own personal API tokens that are not revoked (expired ones marked), newest first. */
@Injectable()
export class ListMyApiTokens {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: AccessContext): Promise<ApiTokenView[]> {
    const now = this.clock.now();
    return (await this.tokens.listOfUser(caller.userId)).map((t) => toApiTokenView(t, now));
  }
}
