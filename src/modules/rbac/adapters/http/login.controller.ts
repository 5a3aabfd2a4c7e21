import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfExempt } from '../../../../shared/adapters/auth/csrf.guard';
import { csrfTokensMatch, takeSubmittedCsrfToken } from '../../../../shared/adapters/auth/csrf';
import { principalOf } from '../../../../shared/adapters/auth/principal';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { AuthenticationService, INVALID_CREDENTIALS_MESSAGE, THROTTLED_MESSAGE } from '../../core/authentication.service';
import { sanitizeNextPath } from '../../core/next-path';
import { randomSecret, SECRET_PATTERN } from '../../core/secrets';
import { LoginRequest } from './login.request';
import {
  clearLoginCsrfCookie,
  clearSessionCookie,
  cookieOf,
  LOGIN_CSRF_COOKIE,
  SESSION_COOKIE,
  setLoginCsrfCookie,
  setSessionCookie,
} from './session-cookie';

export const LOGIN_FORM_EXPIRED_MESSAGE = 'The sign-in form expired or was not sent by Opsdeck. Please try again.';
const MISSING_FIELDS_MESSAGE = 'Enter your email and password.';

interface LoginPage {
  status: number;
  email?: string;
  next: string;
  error?: string;
}

/** Sign-in (double-submit CSRF, throttled, session rotation) and sign-out. */
@Controller()
export class LoginController {
  constructor(
    @Inject(AuthenticationService) private readonly auth: AuthenticationService,
    private readonly views: ViewService,
  ) {}

  @Get('login')
  page(@Req() req: Request, @Res() res: Response, @Query('next') next?: unknown): void {
    const target = sanitizeNextPath(next);
    if (principalOf(req)) return res.redirect(303, target);
    this.render(req, res, { status: 200, next: target });
  }

  @Post('login')
  @CsrfExempt()
  async signIn(@Req() req: Request, @Res() res: Response, @Body() form: LoginRequest): Promise<void> {
    const next = sanitizeNextPath(form.next);
    const email = form.email?.trim() ?? '';
    if (!csrfTokensMatch(takeSubmittedCsrfToken(req), cookieOf(req, LOGIN_CSRF_COOKIE))) {
      return this.render(req, res, { status: 403, email, next, error: LOGIN_FORM_EXPIRED_MESSAGE }, true);
    }
    if (!email || !form.password) {
      return this.render(req, res, { status: 400, email, next, error: MISSING_FIELDS_MESSAGE });
    }
    const result = await this.auth.signIn({
      email,
      password: form.password,
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      previousSessionId: cookieOf(req, SESSION_COOKIE),
    });
    if (result.kind === 'throttled') return this.render(req, res, { status: 429, email, next, error: THROTTLED_MESSAGE });
    if (result.kind === 'invalid_credentials') {
      return this.render(req, res, { status: 401, email, next, error: INVALID_CREDENTIALS_MESSAGE });
    }
    setSessionCookie(req, res, result.sessionId);
    clearLoginCsrfCookie(req, res);
    res.redirect(303, next);
  }

  /** CSRF-checked by the global guard when a session exists; without one there is nothing to end. */
  @Post('logout')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sessionId = cookieOf(req, SESSION_COOKIE);
    if (sessionId) await this.auth.signOut(sessionId);
    clearSessionCookie(req, res);
    res.redirect(303, '/login');
  }

  /** Keeps the form's double-submit token (a fresh one after a CSRF failure) and renders the page. */
  private render(req: Request, res: Response, page: LoginPage, freshToken = false): void {
    const existing = cookieOf(req, LOGIN_CSRF_COOKIE);
    const csrfToken = !freshToken && existing && SECRET_PATTERN.test(existing) ? existing : randomSecret();
    setLoginCsrfCookie(req, res, csrfToken);
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(page.status)
      .type('html')
      .send(this.views.render('auth/login', { title: 'Sign in', csrfToken, next: page.next, email: page.email ?? '', error: page.error ?? null }));
  }
}
