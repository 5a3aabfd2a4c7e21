import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfExempt } from '../../../../shared/adapters/auth/csrf.guard';
import { csrfTokensMatch, takeSubmittedCsrfToken } from '../../../../shared/adapters/auth/csrf';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { routes } from '../../../../shared/core/routes';
import { AcceptInvitation } from '../../application/accept-invitation.use-case';
import { InvitationSummary, ShowInvitation } from '../../application/show-invitation.query';
import { AuthenticationService } from '../../core/authentication.service';
import { randomSecret, SECRET_PATTERN } from '../../core/secrets';
import { AcceptInvitationForm } from './invitation-form.request';
import { LOGIN_FORM_EXPIRED_MESSAGE } from './login.controller';
import { clearLoginCsrfCookie, cookieOf, LOGIN_CSRF_COOKIE, SESSION_COOKIE, setLoginCsrfCookie, setSessionCookie } from './session-cookie';

type Errors = Record<string, string>;

const FIELD_OF_CODE: Record<string, string> = { weak_password: 'password', invalid_display_name: 'display_name' };

/** The form's CSRF cookie goes back to `/invite/:token` only (not the sign-in form's `/login`). */
const INVITE_CSRF_PATH = '/invite';

/**
 * `/invite/:token` (before sign-in): the invitee sets a name and a password and becomes a member,
 * then is signed in. The form is CSRF-protected like the sign-in form (double-submit cookie, as
 * there is no session yet). Unknown, expired and already used links answer the same 404 page.
 */
@Controller('invite')
export class InvitationPagesController {
  constructor(
    @Inject(ShowInvitation) private readonly show: ShowInvitation,
    @Inject(AcceptInvitation) private readonly accept: AcceptInvitation,
    @Inject(AuthenticationService) private readonly auth: AuthenticationService,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get(':token')
  async page(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const invitation = await this.usable(token);
    if (!invitation) return this.invalid(res);
    this.render(req, res, token, invitation, { display_name: '' }, {}, 200);
  }

  @Post(':token')
  @CsrfExempt()
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const invitation = await this.usable(token);
    if (!invitation) return this.invalid(res);
    const raw = asRecord(body) ?? {};
    const values = { display_name: typeof raw.display_name === 'string' ? raw.display_name.slice(0, 200) : '' };
    if (!csrfTokensMatch(takeSubmittedCsrfToken(req), cookieOf(req, LOGIN_CSRF_COOKIE))) {
      return this.render(req, res, token, invitation, values, { _form: LOGIN_FORM_EXPIRED_MESSAGE }, 403, true);
    }
    const { value, errors } = await validateForm(AcceptInvitationForm, body);
    if (value && value.password !== value.confirm_password) errors.confirm_password = 'The two passwords do not match.';
    if (!value || errors.confirm_password) return this.render(req, res, token, invitation, values, errors, 400);
    try {
      const accepted = await this.accept.execute(token, { displayName: value.display_name, password: value.password });
      const workspace = routes.workspace(accepted.workspaceSlug);
      const signedIn = await this.auth.signIn({
        email: accepted.email,
        password: value.password,
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        previousSessionId: cookieOf(req, SESSION_COOKIE),
      });
      clearLoginCsrfCookie(req, res, INVITE_CSRF_PATH);
      if (signedIn.kind !== 'signed_in') return res.redirect(303, `/login?next=${encodeURIComponent(workspace)}`);
      setSessionCookie(req, res, signedIn.sessionId);
      return res.redirect(303, workspace);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      if (error.code === 'invitation_not_valid') return this.invalid(res);
      this.render(req, res, token, invitation, values, { [FIELD_OF_CODE[error.code] ?? '_form']: error.message }, error.kind === 'conflict' ? 409 : 400);
    }
  }

  private async usable(token: string): Promise<InvitationSummary | null> {
    try {
      return await this.show.execute(token);
    } catch (error) {
      if (isDomainError(error) && error.code === 'invitation_not_valid') return null;
      throw error;
    }
  }

  /** Unknown, expired, used or replaced: one 404 page, never which of them. */
  private invalid(res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).type('html').send(this.views.render('auth/invite-invalid', { title: 'Invitation not valid' }));
  }

  private render(
    req: Request,
    res: Response,
    token: string,
    invitation: InvitationSummary,
    values: { display_name: string },
    errors: Errors,
    status: number,
    freshToken = false,
  ): void {
    const existing = cookieOf(req, LOGIN_CSRF_COOKIE);
    const csrfToken = !freshToken && existing && SECRET_PATTERN.test(existing) ? existing : randomSecret();
    setLoginCsrfCookie(req, res, csrfToken, INVITE_CSRF_PATH);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res
      .status(status)
      .type('html')
      .send(this.views.render('auth/invite', { title: 'Join a workspace', csrfToken, action: routes.invitation(token), invitation, values, errors }));
  }
}
