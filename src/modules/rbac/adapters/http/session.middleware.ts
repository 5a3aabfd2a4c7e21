import { Injectable, NestMiddleware } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { hasBearerToken, PrincipalRequest } from '../../../../shared/adapters/auth/principal';
import { AuthenticationService } from '../../core/authentication.service';
import { AccessRequest } from './request-access';
import { clearSessionCookie, cookieOf, SESSION_COOKIE } from './session-cookie';

/**
 * Runs for every request: parses cookies, and when the session cookie names a live session puts
 * `req.principal = { userId, email, displayName, sessionCsrf }` (sliding the idle expiry). An
 * unknown or expired cookie is cleared. API-token requests (`Authorization: Bearer`) are left to
 * the API guard: no cookie is read for them.
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly parseCookies = cookieParser();

  constructor(private readonly auth: AuthenticationService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (hasBearerToken(req)) return next();
    const load = () => this.load(req, res).then(() => next(), next);
    if (req.cookies) load();
    else this.parseCookies(req, res, (error?: unknown) => (error ? next(error) : load()));
  }

  private async load(req: Request, res: Response): Promise<void> {
    const sessionId = cookieOf(req, SESSION_COOKIE);
    if (!sessionId) return;
    const session = await this.auth.resolveSession(sessionId);
    if (!session) {
      clearSessionCookie(req, res);
      return;
    }
    (req as PrincipalRequest).principal = {
      userId: session.userId,
      email: session.email,
      displayName: session.displayName,
      sessionCsrf: session.csrfToken,
    };
    if (session.grants) (req as AccessRequest).credentialGrants = session.grants;
  }
}
