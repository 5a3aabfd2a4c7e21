import { allowOnly, requireFlag, UsageError } from '../../../../shared/adapters/cli/cli-args';
import { CliCommand, out } from '../../../../shared/adapters/cli/cli-command';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { toApiTokenView } from '../../application/api-token-view';
import { CompleteFirstRun } from '../../application/complete-first-run.use-case';
import { AccessOfUser } from '../../application/access-of-user.query';
import { RevokeInvitation } from '../../application/revoke-invitation.use-case';
import { AuditActor, IdentityAdminService } from '../../core/identity-admin.service';
import { RbacErrors } from '../../core/rbac-errors';

const CLI_ACTOR: AuditActor = { userId: null, label: 'cli' };
const DEFAULT_TOKEN_NAME = 'CLI token';

/** Identity administration: `admin:create` (first run only), `user:create`, `member:add`, `member:remove`, `invitation:revoke`, `token:create`, `token:list`, `token:revoke` (see the CLI usage). */
export const rbacCommands: Record<string, CliCommand> = {
  'admin:create': (args, { withApp }) => {
    allowOnly(args, ['email', 'password', 'name', 'workspace-slug', 'workspace-name']);
    const email = requireFlag(args, 'email');
    const password = requireFlag(args, 'password');
    const displayName = args.flags.name === undefined ? email.split('@')[0] : requireFlag(args, 'name');
    const hasSlug = args.flags['workspace-slug'] !== undefined;
    if (hasSlug !== (args.flags['workspace-name'] !== undefined)) {
      throw new UsageError('Give --workspace-slug and --workspace-name together, or neither');
    }
    const workspace = hasSlug ? { slug: requireFlag(args, 'workspace-slug'), name: requireFlag(args, 'workspace-name') } : null;
    return withApp(async (app) => {
      const { user, workspace: created } = await app.get(CompleteFirstRun).execute({ email, password, displayName, workspace }, { via: 'cli' });
      out(`Created platform administrator ${user.email} (${user.displayName}), id ${user.id}.`);
      if (created) out(`Created workspace ${created.slug} ("${created.name}") with ${user.email} as owner.`);
    });
  },

  'user:create': (args, { withApp }) => {
    allowOnly(args, ['email', 'password', 'name']);
    const command = { email: requireFlag(args, 'email'), password: requireFlag(args, 'password'), displayName: requireFlag(args, 'name') };
    return withApp(async (app) => {
      const user = await app.get(IdentityAdminService).createUser(command);
      out(`Created user ${user.email} (${user.displayName}), id ${user.id}.`);
    });
  },

  'member:add': (args, { withApp }) => {
    allowOnly(args, ['email', 'workspace', 'role', 'environments']);
    const email = requireFlag(args, 'email');
    const workspaceSlug = requireFlag(args, 'workspace');
    const role = requireFlag(args, 'role');
    const environmentSlugs = args.flags.environments === undefined ? null : requireFlag(args, 'environments').split(',');
    return withApp(async (app) => {
      const result = await app.get(IdentityAdminService).setMembership({ email, workspaceSlug, role, environmentSlugs }, CLI_ACTOR);
      const scope = environmentSlugs ? `environments ${environmentSlugs.map((s) => s.trim()).filter(Boolean).join(', ')}` : 'all environments';
      const verb = { added: 'Added', role_changed: 'Updated', scope_changed: 'Updated', unchanged: 'Unchanged:' }[result.change];
      out(`${verb} ${email} as ${role} of ${workspaceSlug} (${scope}).`);
    });
  },

  'member:remove': (args, { withApp }) => {
    allowOnly(args, ['email', 'workspace']);
    const email = requireFlag(args, 'email');
    const workspaceSlug = requireFlag(args, 'workspace');
    return withApp(async (app) => {
      await app.get(IdentityAdminService).removeMembership(email, workspaceSlug, CLI_ACTOR);
      out(`Removed ${email} from ${workspaceSlug}.`);
    });
  },

  /**
   * Unlike member:remove (an installation-level act, audited to "cli"), this is the members page's
   * Revoke button at the console: it acts for a user (`--as`), within their role and scope.
   */
  'invitation:revoke': (args, { withApp }) => {
    allowOnly(args, ['email', 'workspace', 'as']);
    const email = requireFlag(args, 'email');
    const workspaceSlug = requireFlag(args, 'workspace');
    const as = requireFlag(args, 'as');
    return withApp(async (app) => {
      const caller = await app.get(AccessOfUser).byEmail(as);
      if (!caller) throw RbacErrors.userNotFound(as);
      const revoked = await app.get(RevokeInvitation).execute(caller, workspaceSlug, { email });
      out(`Revoked the invitation of ${revoked.email} to ${workspaceSlug} (id ${revoked.id}). Its link no longer works.`);
    });
  },

  'token:create': (args, { withApp }) => {
    allowOnly(args, ['email', 'name']);
    const email = requireFlag(args, 'email');
    if (args.flags.name === true) throw new UsageError('Missing --name <value>');
    const name = args.flags.name ?? DEFAULT_TOKEN_NAME;
    return withApp(async (app) => {
      const { id, token } = await app.get(IdentityAdminService).createApiToken(email, name, CLI_ACTOR);
      out(`Created API token "${name.trim()}" (id ${id}) for ${email}. It is shown once; store it now:`);
      out(token);
    });
  },

  'token:list': (args, { withApp }) => {
    allowOnly(args, ['email']);
    const email = requireFlag(args, 'email');
    return withApp(async (app) => {
      const { tokens } = await app.get(IdentityAdminService).listApiTokens(email);
      const now = app.get<Clock>(CLOCK).now();
      // The API's shape (GET /api/v1/me/tokens): names and dates, never a secret.
      out(JSON.stringify({ items: tokens.map((t) => toApiTokenView(t, now)) }));
    });
  },

  'token:revoke': (args, { withApp }) => {
    allowOnly(args, []);
    const id = args.positionals[0];
    if (!id) throw new UsageError('Missing <token-id>');
    return withApp(async (app) => {
      await app.get(IdentityAdminService).revokeApiToken(id, CLI_ACTOR);
      out(`Revoked API token ${id}. It no longer authenticates.`);
    });
  },
};
