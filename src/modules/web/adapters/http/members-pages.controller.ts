import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { isDomainError } from '../../../../shared/core/domain-error';
import { asRecord } from '../../../../shared/core/json-guards';
import { routes } from '../../../../shared/core/routes';
import { AddMember } from '../../../rbac/application/add-member.use-case';
import { ChangeMember } from '../../../rbac/application/change-member.use-case';
import { ListWorkspaceMembers } from '../../../rbac/application/list-workspace-members.query';
import { EnvironmentsView } from '../../../rbac/application/member-views';
import { RemoveMember } from '../../../rbac/application/remove-member.use-case';
import { RevokeInvitation } from '../../../rbac/application/revoke-invitation.use-case';
import { AccessControl } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { ROLES } from '../../../rbac/core/roles';
import { GetPageShell } from '../../application/page-shell.query';
import { ChangeMemberForm, InviteMemberForm } from './members-forms.request';
import { Authenticated, CurrentAccess, RequestAccess } from './route-access';
import { sendPage } from './send-page';
import { PublicUrls } from '../../../../shared/adapters/http/public-urls';

type Errors = Record<string, string>;

const SAVED_MESSAGES: Record<string, string> = {
  added: 'Member added. They see the workspace from their next request on.',
  changed: 'Member changed. The change applies from their next request on.',
  removed: 'Member removed. They lost access at once.',
  revoked: 'Invitation revoked. Its link no longer works.',
};

/** Which field of a members form a domain refusal belongs beside. */
const FIELD_OF_CODE: Record<string, string> = {
  invalid_email: 'email',
  already_member: 'email',
  invalid_role: 'role',
  role_above_yours: 'role',
  invalid_environments: 'environments',
  unknown_environment: 'environments',
  scope_outside_yours: 'environments',
};
const REFUSALS = new Set([...Object.keys(FIELD_OF_CODE), 'last_owner']);

interface InviteValues {
  email: string;
  role: string;
  scope: string;
  environments: string[];
}

interface PageState {
  invite?: { values: InviteValues; errors: Errors };
  /** The row whose change was refused, with its messages. */
  row?: { userId: string; values: { role: string; scope: string; environments: string[] }; errors: Errors };
  /** The pending invitation whose revocation was refused, with the message. */
  invitation?: { id: string; error: string };
  /** A just-created invitation: its link, shown this once. */
  created?: { email: string; url: string };
  flash?: { tone: string; message: string } | null;
}

/**
 * `/w/:workspace/members`: members and pending invitations for holders of members.manage (others
 * 403, non-members 404), through the same use cases as the members API. Forms carry the session's
 * CSRF token; a refusal comes back beside its field; a new invitation link is shown once.
 */
@Controller('w/:workspace/members')
@Authenticated()
export class MembersPagesController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ListWorkspaceMembers) private readonly list: ListWorkspaceMembers,
    @Inject(AddMember) private readonly add: AddMember,
    @Inject(ChangeMember) private readonly change: ChangeMember,
    @Inject(RemoveMember) private readonly remove: RemoveMember,
    @Inject(RevokeInvitation) private readonly revoke: RevokeInvitation,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
    @Inject(PublicUrls) private readonly urls: PublicUrls,
  ) {}

  @Get()
  async page(@CurrentAccess() caller: RequestAccess, @Param('workspace') slug: string, @Query('saved') saved: unknown, @Res() res: Response): Promise<void> {
    const message = typeof saved === 'string' ? SAVED_MESSAGES[saved] : undefined;
    await this.render(res, caller, slug, { flash: message ? { tone: 'success', message } : null }, 200);
  }

  @Post()
  async invite(@CurrentAccess() caller: RequestAccess, @Param('workspace') slug: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const raw = asRecord(body) ?? {};
    const values: InviteValues = { email: text(raw.email, 300), role: text(raw.role, 40), scope: text(raw.scope, 20), environments: ticked(raw.environments) };
    const { value, errors } = await validateForm(InviteMemberForm, body);
    const environments = scopeOf(value?.scope, raw.environments, errors);
    if (value && environments) {
      try {
        const added = await this.add.execute(caller, slug, { email: value.email, role: value.role, environments });
        if (added.kind === 'member') return res.redirect(303, routes.members(slug, 'added'));
        return this.render(res, caller, slug, { created: { email: added.invitation.email, url: this.urls.of(added.invitation_url) } }, 201);
      } catch (error) {
        refusal(error, errors);
      }
    }
    await this.render(res, caller, slug, { invite: { values, errors } }, statusOf(errors));
  }

  @Post(':user')
  async changeMember(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') slug: string,
    @Param('user') userId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const raw = asRecord(body) ?? {};
    const values = { role: text(raw.role, 40), scope: text(raw.scope, 20), environments: ticked(raw.environments) };
    const { value, errors } = await validateForm(ChangeMemberForm, body);
    const environments = scopeOf(value?.scope, raw.environments, errors);
    if (value && environments) {
      try {
        await this.change.execute(caller, slug, userId, { role: value.role, environments });
        return res.redirect(303, routes.members(slug, 'changed'));
      } catch (error) {
        refusal(error, errors);
      }
    }
    await this.render(res, caller, slug, { row: { userId, values, errors } }, statusOf(errors));
  }

  @Post(':user/remove')
  async removeMember(@CurrentAccess() caller: RequestAccess, @Param('workspace') slug: string, @Param('user') userId: string, @Res() res: Response): Promise<void> {
    const errors: Errors = {};
    try {
      await this.remove.execute(caller, slug, userId);
      return res.redirect(303, routes.members(slug, 'removed'));
    } catch (error) {
      refusal(error, errors);
    }
    await this.render(res, caller, slug, { row: { userId, values: { role: '', scope: '', environments: [] }, errors } }, statusOf(errors));
  }

  @Post('invitations/:invitation/revoke')
  async revokeInvitation(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') slug: string,
    @Param('invitation') invitationId: string,
    @Res() res: Response,
  ): Promise<void> {
    const errors: Errors = {};
    try {
      await this.revoke.execute(caller, slug, { id: invitationId });
      return res.redirect(303, routes.members(slug, 'revoked'));
    } catch (error) {
      refusal(error, errors);
    }
    // One refusal (the invitation grants more than the caller holds): its message goes beside the row.
    const status = statusOf(errors);
    await this.render(res, caller, slug, { invitation: { id: invitationId, error: Object.values(errors)[0] } }, status);
  }

  private async render(res: Response, caller: RequestAccess, slug: string, state: PageState, status: number): Promise<void> {
    const ws = await this.access.workspaceOf(caller, slug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.MEMBERS_MANAGE });
    const [shell, members] = await Promise.all([this.shell.execute(caller, { workspace: ws, section: 'members' }), this.list.execute(caller, slug)]);
    const visible = shell.environments.map((e) => ({ slug: e.slug, name: e.name }));
    const invite = state.invite ?? { values: { email: '', role: 'readonly', scope: 'all', environments: [] }, errors: {} };
    const roleOptions = (selected: string) => ROLES.map((r) => ({ value: r, selected: r === selected }));
    const envOptions = (chosen: string[]) => visible.map((e) => ({ ...e, checked: chosen.includes(e.slug) }));
    sendPage(
      res,
      this.views.render('members/index', {
        title: 'Members',
        shell,
        flash: state.flash ?? null,
        created: state.created ?? null,
        action: routes.members(ws.workspace.slug),
        members: members.items.map((m) => {
          const refused = state.row?.userId === m.user.id ? state.row : null;
          const role = refused?.values.role || m.role;
          const scope = refused?.values.scope || (m.environments === 'all' ? 'all' : 'chosen');
          const chosen = refused ? refused.values.environments : m.environments === 'all' ? [] : m.environments;
          return {
            ...m,
            key: m.user.id,
            environmentsLabel: m.environments === 'all' ? 'All environments' : m.environments.join(', ') || 'None you can see',
            changeAction: routes.member(ws.workspace.slug, m.user.id),
            removeAction: routes.memberRemove(ws.workspace.slug, m.user.id),
            roles: roleOptions(role),
            allScope: scope === 'all',
            environmentOptions: envOptions(chosen),
            errors: refused?.errors ?? {},
          };
        }),
        invitations: members.invitations.map((i) => ({
          ...i,
          environmentsLabel: i.environments === 'all' ? 'All environments' : i.environments.join(', '),
          revokeAction: routes.invitationRevoke(ws.workspace.slug, i.id),
          error: state.invitation?.id === i.id ? state.invitation.error : null,
        })),
        invite: {
          values: invite.values,
          errors: invite.errors,
          roles: roleOptions(invite.values.role),
          allScope: invite.values.scope !== 'chosen',
          environmentOptions: envOptions(invite.values.environments),
        },
      }),
      status,
    );
  }
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

/** Ticked checkboxes: one string, or several; anything else ticks nothing. */
function ticked(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').slice(0, 200);
}

/** "all", or the ticked slugs; null (with a message beside the boxes) when "some" ticks none or sends junk. */
function scopeOf(scope: string | undefined, raw: unknown, errors: Errors): EnvironmentsView | null {
  if (scope === undefined) return null;
  if (scope === 'all') return 'all';
  const slugs = ticked(raw);
  const valid = raw === undefined || (Array.isArray(raw) ? raw.every((v) => typeof v === 'string') : typeof raw === 'string');
  if (!valid) errors.environments = 'Tick environments from the list.';
  else if (!slugs.length) errors.environments = 'Tick at least one environment, or choose all environments.';
  return valid && slugs.length ? slugs : null;
}

/** A refusal of the form's data goes beside its field (or on top); anything else (403/404) is rethrown. */
function refusal(error: unknown, errors: Errors): void {
  if (!isDomainError(error) || !REFUSALS.has(error.code)) throw error;
  errors[FIELD_OF_CODE[error.code] ?? '_form'] = error.message;
  errors._status = error.kind === 'conflict' ? '409' : error.kind === 'forbidden' ? '403' : '400';
}

function statusOf(errors: Errors): number {
  const status = Number(errors._status ?? 400);
  delete errors._status;
  return status;
}
