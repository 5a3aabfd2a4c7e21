import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { hashApiToken, looksLikeApiToken } from '../../core/api-token';
import { ApiTokenRepository } from '../../core/ports/api-token.repository.port';
import { PrincipalRequest } from '../../../../shared/adapters/auth/principal';
import { AccessRequest } from './request-access';

export const MISSING_TOKEN_MESSAGE = 'This API needs a personal API token: send "Authorization: Bearer <token>".';
export const INVALID_TOKEN_MESSAGE = 'The API token is not valid (unknown, revoked or expired).';

/**
 * Bearer-token authentication for /api/v1: the token is hashed and looked up (never compared in
 * plain text), its use recorded, and the owning user set as `req.principal` (no session, so no
 * CSRF token). Missing or invalid → 401 `{ error: { code: 'unauthenticated' } }` (error filter).
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(@Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PrincipalRequest & AccessRequest>();
    const response = http.getResponse<Response>();
    const fail = (message: string): never => {
      response.setHeader('WWW-Authenticate', 'Bearer realm="opsdeck-api"');
      throw new UnauthorizedException(message);
    };
    // A session cookie never authenticates the API: only the bearer token counts.
    request.principal = null;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    if (!match) return fail(MISSING_TOKEN_MESSAGE);
    const token = match[1];
    if (!looksLikeApiToken(token)) return fail(INVALID_TOKEN_MESSAGE);
    const found = await this.tokens.authenticate(hashApiToken(token));
    if (!found) return fail(INVALID_TOKEN_MESSAGE);
    const { user } = found;
    request.principal = { userId: user.id, email: user.email, displayName: user.displayName, sessionCsrf: null };
    // A session cookie's grants never stand in for the token's user.
    request.credentialGrants = found.grants;
    return true;
  }
}
