import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { principalOf } from './principal';

export const SIGN_IN_REQUIRED_MESSAGE = 'Sign in to continue.';

/**
 * Requires a signed-in user. A browser asking for a page (GET/HEAD wanting HTML) is sent to
 * /login?next=<this page> (303); anything else gets 401 JSON.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (principalOf(req)) return true;
    if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html') {
      // The error filter writes the response; the Location header set here survives it.
      http.getResponse<Response>().setHeader('Location', `/login?next=${encodeURIComponent(req.originalUrl)}`);
      throw new HttpException(SIGN_IN_REQUIRED_MESSAGE, HttpStatus.SEE_OTHER);
    }
    throw new UnauthorizedException(SIGN_IN_REQUIRED_MESSAGE);
  }
}
