import { allowOnly, requireFlag, UsageError } from '../../../../shared/adapters/cli/cli-args';
import { CliCommand, out } from '../../../../shared/adapters/cli/cli-command';
import { AuditActor, IdentityAdminService } from '../../core/identity-admin.service';

const CLI_ACTOR: AuditActor = { userId: null, label: 'cli' };
const DEFAULT_TOKEN_NAME = 'CLI token';

/** Identity administration: `user:create`, `member:add`, `token:create` (see the CLI usage). */
export const rbacCommands: Record<string, CliCommand> = {
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
};
