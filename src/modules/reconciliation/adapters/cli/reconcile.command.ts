import { allowOnly } from '../../../../shared/adapters/cli/cli-args';
import { CliCommand, out } from '../../../../shared/adapters/cli/cli-command';
import { ReconcileStaleRuns } from '../../application/reconcile-stale-runs.use-case';

/** `reconcile [--dry-run]`: one sweep now; the JSON summary is the last stdout line. */
export const reconciliationCommands: Record<string, CliCommand> = {
  reconcile: (args, { withApp }) =>
    withApp(async (app) => {
      allowOnly(args, ['dry-run']);
      const summary = await app.get(ReconcileStaleRuns).execute({ dryRun: args.flags['dry-run'] === true });
      if (summary.lock === 'busy') process.stderr.write('Another reconciler is sweeping right now; nothing was done.\n');
      out(JSON.stringify(summary));
    }),
};
