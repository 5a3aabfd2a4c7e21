import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { csrfTokensMatch, CSRF_FAILED_MESSAGE, takeSubmittedCsrfToken } from './csrf';
import { principalOf } from './principal';

const CSRF_EXEMPT = 'opsdeck:csrf-exempt';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Only for handlers that verify CSRF themselves (the sign-in form's double-submit token). */
export const CsrfExempt = (): MethodDecorator & ClassDecorator => SetMetadata(CSRF_EXEMPT, true);

/**
 * Every state-changing request authenticated by a session cookie must carry that session's
 * CSRF token (`_csrf` field or `X-CSRF-Token` header), compared in constant time; else 403.
 * Installed globally by the rbac module, so no form can forget it; usable with @UseGuards too.
 * Requests without a session (API tokens, anonymous) have nothing a forged request could ride on.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const submitted = takeSubmittedCsrfToken(req);
    if (SAFE_METHODS.has(req.method)) return true;
    if (this.reflector.getAllAndOverride<boolean>(CSRF_EXEMPT, [context.getHandler(), context.getClass()])) return true;
    const expected = principalOf(req)?.sessionCsrf;
    if (!expected) return true;
    if (!csrfTokensMatch(submitted, expected)) throw new ForbiddenException(CSRF_FAILED_MESSAGE);
    return true;
  }
}
