import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csrfTokensMatch, takeSubmittedCsrfToken } from '../../../../shared/adapters/auth/csrf';
import { CsrfExempt } from '../../../../shared/adapters/auth/csrf.guard';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { routes } from '../../../../shared/core/routes';
import { CheckSetupToken } from '../../application/check-setup-token.query';
import { CompleteFirstRun } from '../../application/complete-first-run.use-case';
import { randomSecret, SECRET_PATTERN } from '../../core/secrets';
import { FirstRunForm } from './first-run.request';
import { LOGIN_FORM_EXPIRED_MESSAGE } from './login.controller';
import { cookieOf, LOGIN_CSRF_COOKIE, setLoginCsrfCookie } from './session-cookie';

const FIELDS = ['email', 'display_name', 'workspace_slug', 'workspace_name'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
type Errors = Record<string, string>;

/** Which form field a domain refusal belongs beside. */
const FIELD_OF_CODE: Record<string, string> = {
  invalid_email: 'email',
  invalid_display_name: 'display_name',
  weak_password: 'password',
  invalid_workspace_slug: 'workspace_slug',
  invalid_workspace_name: 'workspace_name',
  workspace_slug_taken: 'workspace_slug',
};

/** The form's CSRF cookie goes back to `/setup` only (not the sign-in form's `/login`). */
const SETUP_CSRF_PATH = '/setup';

/**
 * `/setup?token=…`: the first-run page, before anyone can sign in. Only the token printed at boot
 * opens it, and only while no user exists: anything else is the 404 of an unknown page. With no
 * session to tie a CSRF token to, the form uses the sign-in form's double-submit cookie; the setup
 * token in the form is the other half of the proof (a forged cross-site post cannot know it).
 */
@Controller('setup')
export class FirstRunPageController {
  constructor(
    @Inject(CheckSetupToken) private readonly checkToken: CheckSetupToken,
    @Inject(CompleteFirstRun) private readonly completeFirstRun: CompleteFirstRun,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async page(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.checkToken.execute(token);
    this.render(req, res, token as string, emptyValues(), {}, 200);
  }

  @Post()
  @CsrfExempt()
  async submit(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const raw = asRecord(body) ?? {};
    const token = typeof raw.token === 'string' ? raw.token : '';
    // Before anything else: a wrong, used or stale token is a 404, like the page itself.
    await this.checkToken.execute(token);
    const values = Object.fromEntries(FIELDS.map((f) => [f, typeof raw[f] === 'string' ? (raw[f] as string) : ''])) as Values;
    if (!csrfTokensMatch(takeSubmittedCsrfToken(req), cookieOf(req, LOGIN_CSRF_COOKIE))) {
      return this.render(req, res, token, values, { _form: LOGIN_FORM_EXPIRED_MESSAGE }, 403, true);
    }
    const { value, errors } = await validateForm(FirstRunForm, body);
    if (value && value.password !== value.confirm_password) errors.confirm_password = 'The two passwords do not match.';
    let status = 400;
    if (value && !errors.confirm_password) {
      try {
        const done = await this.completeFirstRun.execute(
          {
            email: value.email,
            displayName: value.display_name,
            password: value.password,
            workspace: { slug: value.workspace_slug, name: value.workspace_name },
          },
          { via: 'setup_page', token },
        );
        return res.redirect(303, routes.login(done.workspace ? routes.workspace(done.workspace.slug) : null));
      } catch (error) {
        if (!isDomainError(error) || (error.kind !== 'invalid' && error.kind !== 'conflict')) throw error;
        errors[FIELD_OF_CODE[error.code] ?? '_form'] = error.message;
        if (error.kind === 'conflict') status = 409;
      }
    }
    this.render(req, res, token, values, errors, status);
  }

  private render(req: Request, res: Response, token: string, values: Values, errors: Errors, status: number, freshCsrf = false): void {
    const existing = cookieOf(req, LOGIN_CSRF_COOKIE);
    const csrfToken = !freshCsrf && existing && SECRET_PATTERN.test(existing) ? existing : randomSecret();
    setLoginCsrfCookie(req, res, csrfToken, SETUP_CSRF_PATH);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res
      .status(status)
      .type('html')
      .send(this.views.render('auth/setup', { title: 'Set up Opsdeck', csrfToken, token, action: routes.setup(), values, errors }));
  }
}

function emptyValues(): Values {
  return { email: '', display_name: '', workspace_slug: '', workspace_name: '' };
}
