import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { asRecord } from '../../../../shared/core/json-guards';
import { isDomainError } from '../../../../shared/core/domain-error';
import { routes } from '../../../../shared/core/routes';
import { ChangePassword } from '../../../rbac/application/change-password.use-case';
import { CreateMyApiToken } from '../../../rbac/application/create-my-api-token.use-case';
import { ListMyApiTokens } from '../../../rbac/application/list-my-api-tokens.query';
import { RevokeMyApiToken } from '../../../rbac/application/revoke-my-api-token.use-case';
import { cookieOf, SESSION_COOKIE } from '../../../rbac/adapters/http/session-cookie';
import { GetPageShell } from '../../application/page-shell.query';
import { ChangePasswordForm, CreateTokenForm, TOKEN_LIFETIME_OPTIONS } from './account-forms.request';
import { Authenticated, CurrentAccess, RequestAccess } from './route-access';
import { sendPage } from './send-page';

const SAVED_MESSAGES: Record<string, string> = {
  password: 'Password changed. Every other session of your account was signed out.',
  revoked: 'Token revoked. It no longer works.',
};

/** Which form field a domain refusal belongs beside. */
const FIELD_OF_CODE: Record<string, string> = {
  wrong_current_password: 'current_password',
  too_many_attempts: 'current_password',
  weak_password: 'new_password',
  invalid_token_name: 'name',
  invalid_token_expiry: 'expires_in_days',
};

type Errors = Record<string, string>;

interface AccountForms {
  password?: Errors;
  token?: { values: { name: string; expires_in_days: string }; errors: Errors };
}

/**
 * `/account`: the signed-in user's password and personal API tokens, through the same use cases
 * as `/api/v1/me/tokens`. Forms carry the session's CSRF token (the global guard checks it); a
 * refused form comes back with each message beside its field; a new token is shown once.
 */
@Controller('account')
@Authenticated()
export class AccountPagesController {
  constructor(
    @Inject(ListMyApiTokens) private readonly listTokens: ListMyApiTokens,
    @Inject(CreateMyApiToken) private readonly createToken: CreateMyApiToken,
    @Inject(RevokeMyApiToken) private readonly revokeToken: RevokeMyApiToken,
    @Inject(ChangePassword) private readonly changePassword: ChangePassword,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async page(@CurrentAccess() caller: RequestAccess, @Query('saved') saved: unknown, @Res() res: Response): Promise<void> {
    const message = typeof saved === 'string' ? SAVED_MESSAGES[saved] : undefined;
    await this.render(res, caller, {}, 200, message ? { tone: 'success', message } : null);
  }

  @Post('password')
  async password(
    @CurrentAccess() caller: RequestAccess,
    @Req() req: Request,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { value, errors } = await validateForm(ChangePasswordForm, body);
    let status = 400;
    if (value && value.new_password !== value.confirm_password) errors.confirm_password = 'The two new passwords do not match.';
    if (value && !errors.confirm_password) {
      try {
        await this.changePassword.execute(caller, {
          currentPassword: value.current_password,
          newPassword: value.new_password,
          currentSessionId: cookieOf(req, SESSION_COOKIE),
        });
        return res.redirect(303, routes.account('password'));
      } catch (error) {
        fieldErrorOf(error, errors);
        if (isDomainError(error) && error.kind === 'too_many') status = 429;
      }
    }
    await this.render(res, caller, { password: errors }, status);
  }

  @Post('tokens')
  async create(@CurrentAccess() caller: RequestAccess, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const raw = asRecord(body) ?? {};
    const values = { name: typeof raw.name === 'string' ? raw.name : '', expires_in_days: typeof raw.expires_in_days === 'string' ? raw.expires_in_days : '' };
    const { value, errors } = await validateForm(CreateTokenForm, body);
    if (value) {
      try {
        const days = value.expires_in_days ? Number(value.expires_in_days) : null;
        const created = await this.createToken.execute(caller, { name: value.name, expires_in_days: days });
        const shell = await this.shell.execute(caller, { section: 'account' });
        // Shown once: the page is never cached (sendPage) and the secret is stored only hashed.
        return sendPage(res, this.views.render('account/token-created', { title: 'New API token', shell, token: created.token, secret: created.secret }));
      } catch (error) {
        fieldErrorOf(error, errors);
      }
    }
    await this.render(res, caller, { token: { values, errors } }, 400);
  }

  @Post('tokens/:id/revoke')
  async revoke(@CurrentAccess() caller: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.revokeToken.execute(caller, id);
    res.redirect(303, routes.account('revoked'));
  }

  private async render(
    res: Response,
    caller: RequestAccess,
    forms: AccountForms,
    status: number,
    flash: { tone: string; message: string } | null = null,
  ): Promise<void> {
    const [shell, tokens] = await Promise.all([this.shell.execute(caller, { section: 'account' }), this.listTokens.execute(caller)]);
    const token = forms.token ?? { values: { name: '', expires_in_days: '' }, errors: {} };
    sendPage(
      res,
      this.views.render('account/index', {
        title: 'Your account',
        shell,
        flash,
        email: caller.email,
        tokens: tokens.map((t) => ({ ...t, revokeAction: routes.accountTokenRevoke(t.id) })),
        passwordAction: routes.accountPassword(),
        passwordErrors: forms.password ?? {},
        tokenAction: routes.accountTokens(),
        tokenValues: token.values,
        tokenErrors: token.errors,
        lifetimes: TOKEN_LIFETIME_OPTIONS.map((days) => ({
          value: days,
          label: days ? `${days} days` : 'Never expires',
          selected: days === token.values.expires_in_days,
        })),
      }),
      status,
    );
  }
}

/** A domain refusal of the form's data goes beside its field (or on top); anything else is rethrown. */
function fieldErrorOf(error: unknown, errors: Errors): void {
  if (!isDomainError(error) || (error.kind !== 'invalid' && error.kind !== 'too_many')) throw error;
  errors[FIELD_OF_CODE[error.code] ?? '_form'] = error.message;
}
