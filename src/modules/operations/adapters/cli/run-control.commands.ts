import { allowOnly, UsageError } from '../../../../shared/adapters/cli/cli-args';
import { CliCommand, out } from '../../../../shared/adapters/cli/cli-command';
import { CancelRun } from '../../application/cancel-run.use-case';
import { RetryRun } from '../../application/retry-run.use-case';

function runIdOf(positionals: string[]): string {
  const id = positionals[0];
  if (!id) throw new UsageError('Missing <run-id>');
  return id;
}

/**
 * `run:cancel <run-id>` and `run:retry <run-id>`: the run page's controls for an operator at the
 * console (no scope: the CLI runs with the database's credentials). The run JSON is the last line.
 */
export const runControlCommands: Record<string, CliCommand> = {
  'run:cancel': (args, { withApp }) =>
    withApp(async (app) => {
      allowOnly(args, []);
      const { run, accepted } = await app.get(CancelRun).bySystem(runIdOf(args.positionals));
      process.stderr.write(
        run.status === 'completed'
          ? 'Cancelled.\n'
          : accepted
            ? 'Cancel requested: the worker stops within one heartbeat.\n'
            : 'A cancel was already requested; waiting for the worker.\n',
      );
      out(JSON.stringify(run));
    }),
  'run:retry': (args, { withApp }) =>
    withApp(async (app) => {
      allowOnly(args, []);
      const { run, created } = await app.get(RetryRun).bySystem(runIdOf(args.positionals));
      process.stderr.write(created ? 'Retry queued.\n' : 'An identical run is already active: returning it.\n');
      out(JSON.stringify(run));
    }),
};
