import { allowOnly, requireFlag, UsageError } from '../../../../shared/adapters/cli/cli-args';
import { CliCommand, out } from '../../../../shared/adapters/cli/cli-command';
import { AccessOfUser } from '../../../rbac/application/access-of-user.query';
import { RbacErrors } from '../../../rbac/core/rbac-errors';
import { StartBulkAction } from '../../application/start-bulk-action.use-case';
import { StartFanOut } from '../../application/start-fan-out.use-case';

function jsonFlag(value: string | true | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  if (value === true) throw new UsageError(`Missing --${name} <json>`);
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError(`--${name} must be JSON, e.g. --${name} '{"tab":"active"}'`);
  }
}

/**
 * `run:bulk` and `run:fan-out`: the hub's bulk actions and fan-out at the console. A bulk run acts
 * for a user (`--as <email>`), within their scope and capabilities exactly as from the API; the
 * bulk run's JSON is the last line, and its page shows how far it got.
 */
export const bulkRunCommands: Record<string, CliCommand> = {
  'run:bulk': (args, { withApp }) => {
    allowOnly(args, ['workspace', 'as', 'action', 'filter']);
    const workspace = requireFlag(args, 'workspace');
    const as = requireFlag(args, 'as');
    const action = requireFlag(args, 'action');
    const filter = jsonFlag(args.flags.filter, 'filter');
    return withApp(async (app) => {
      const caller = await app.get(AccessOfUser).byEmail(as);
      if (!caller) throw RbacErrors.userNotFound(as);
      const { run, created } = await app.get(StartBulkAction).execute(caller, workspace, { action, filter });
      process.stderr.write(created ? 'Bulk run queued.\n' : 'An identical bulk run is already active: returning it.\n');
      out(JSON.stringify(run));
    });
  },
  'run:fan-out': (args, { withApp }) => {
    allowOnly(args, ['workspace', 'as', 'type', 'environments', 'input']);
    const workspace = requireFlag(args, 'workspace');
    const as = requireFlag(args, 'as');
    const type = requireFlag(args, 'type');
    const listed = typeof args.flags.environments === 'string' ? args.flags.environments : 'all';
    const environments = listed === 'all' ? 'all' : listed.split(',').map((s) => s.trim()).filter(Boolean);
    const input = jsonFlag(args.flags.input, 'input');
    return withApp(async (app) => {
      const caller = await app.get(AccessOfUser).byEmail(as);
      if (!caller) throw RbacErrors.userNotFound(as);
      const { run, created } = await app.get(StartFanOut).execute(caller, workspace, { type, environments, input });
      process.stderr.write(created ? 'Fan-out run queued.\n' : 'An identical fan-out run is already active: returning it.\n');
      out(JSON.stringify(run));
    });
  },
};
