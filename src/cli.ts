import 'reflect-metadata';
import { RunResourceAssembler } from './modules/operations/application/run-resource.assembler';
import { loadOperationCatalog } from './modules/operations/adapters/config/operation-catalog.loader';
import { OperationRunService } from './modules/operations/core/operation-run.service';
import { OperationErrors } from './modules/operations/core/operations-errors';
import {
  BASELINE_PROFILE_REPOSITORY,
  BaselineProfileRepository,
} from './modules/baselines/core/ports/baseline-profile.repository.port';
import { MikroOrmTenancyDirectory } from './modules/rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { AppConfig, loadAppConfig } from './shared/adapters/config/app-config';
import { rbacCommands } from './modules/rbac/adapters/cli/rbac-cli.commands';
import { reconciliationCommands } from './modules/reconciliation/adapters/cli/reconcile.command';
import { runControlCommands } from './modules/operations/adapters/cli/run-control.commands';
import { bulkRunCommands } from './modules/bulk-runs/adapters/cli/bulk-run.commands';
import { IdentityAdminService } from './modules/rbac/core/identity-admin.service';
import { allowOnly, parseArgs, ParsedArgs, requireFlag, UsageError } from './shared/adapters/cli/cli-args';
import { bindCommands, out, withContext } from './cli/cli-context';
import { seedDemo } from './cli/demo-seed';
import { migrateDatabase } from './shared/adapters/persistence/migrate';
import { DomainError } from './shared/core/domain-error';
import { SharedErrors } from './shared/core/shared-errors';

const USAGE = `Usage: npm run cli -- <command>
  db:migrate                         apply pending migrations (creates the database if missing)
  seed:demo                          create the demo workspaces and environments (idempotent)
  lifecycle:validate                 check the operation catalog and lifecycle policies
  run:start --workspace <slug> --environment <slug> --type <type> [--input <json>]
                                     start a system-initiated run; prints the run JSON last
  run:show <run-id>                  print one run as JSON
  run:cancel <run-id>                cancel a queued run at once, or ask a running one's worker to stop
  run:retry <run-id>                 run a failed, blocked, cancelled or partially succeeded run again
  run:bulk --workspace <slug> --as <email> --action <cancel|retry> [--filter <json>]
                                     one bulk run over the hub view --filter names (its query
                                     parameters as JSON), acting within that user's scope
  run:fan-out --workspace <slug> --as <email> --type <type> [--environments <all|slug,slug>] [--input <json>]
                                     one fan-out run starting <type> in each environment
  reconcile [--dry-run]              reconcile stale runs now; prints a JSON summary last
  admin:create --email <email> --password <password> [--name <display name>] [--workspace-slug <slug> --workspace-name <name>]
                                     first run only: create the first user as platform administrator
                                     (and the first workspace, owned by them); refused once any user exists
  user:create --email <email> --password <password> --name <display name>
                                     create a local user (passwords: at least 10 characters)
  member:add --email <email> --workspace <slug> --role <owner|manager|operator|readonly> [--environments <slug,slug>]
                                     add the user to the workspace, or replace their role and scope;
                                     --environments limits the membership to those environments;
                                     never demotes the workspace's last owner
  member:remove --email <email> --workspace <slug>
                                     remove the user from the workspace (the account stays); never
                                     the last owner
  invitation:revoke --email <email> --workspace <slug> --as <email>
                                     revoke the pending invitation of --email, acting as the user
                                     --as (who needs members.manage): its link stops working at once
  token:create --email <email> [--name <label>]
                                     create a personal API token; the token alone is the last stdout
                                     line and is shown only once
  token:list --email <email>         the user's API tokens that are not revoked, as JSON (never a secret)
  token:revoke <token-id>            revoke an API token: it stops authenticating at once`;

type Command = (args: ParsedArgs, config: AppConfig) => Promise<void>;

const commands: Record<string, Command> = {
  'db:migrate': async (args, config) => {
    allowOnly(args, []);
    const applied = await migrateDatabase(config.databaseDirectUrl, config.projectRoot);
    out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
  },
  'seed:demo': (args, config) =>
    withContext(config, async (app) => {
      allowOnly(args, []);
      const result = await seedDemo(
        app.get(MikroOrmTenancyDirectory),
        app.get(IdentityAdminService),
        undefined,
        app.get<BaselineProfileRepository>(BASELINE_PROFILE_REPOSITORY),
      );
      out(`Demo users: ${result.users.join(', ')} (password from DEMO_PASSWORD, default "opsdeck-demo"; existing passwords kept).`);
      out(`Demo data ready: ${result.workspaces} workspaces, ${result.environments} environments.`);
    }),
  'lifecycle:validate': async (args, config) => {
    allowOnly(args, []);
    const definitions = loadOperationCatalog(config);
    out(`Lifecycle policies are valid for ${definitions.length} operation type(s): ${definitions.map((d) => d.type).join(', ')}.`);
  },
  'run:start': (args, config) =>
    withContext(config, async (app) => {
      allowOnly(args, ['workspace', 'environment', 'type', 'input']);
      const tenancy = app.get(MikroOrmTenancyDirectory);
      const workspaceSlug = requireFlag(args, 'workspace');
      const workspace = await tenancy.findWorkspaceBySlug(workspaceSlug);
      if (!workspace) throw SharedErrors.workspaceNotFound(workspaceSlug);
      const environmentSlug = requireFlag(args, 'environment');
      const environment = await tenancy.findEnvironmentBySlug(workspace.id, environmentSlug);
      if (!environment) throw SharedErrors.environmentNotFound(environmentSlug);
      // Archived: its history stays, it takes no new runs — not even system-initiated ones.
      if (environment.archived) throw OperationErrors.environmentArchived(environment.slug);
      const service = app.get(OperationRunService);
      const assembler = app.get(RunResourceAssembler);
      try {
        const { run, created } = await service.dispatch({
          workspaceId: workspace.id,
          environmentId: environment.id,
          type: requireFlag(args, 'type'),
          input: parseInput(args.flags.input),
          initiatorUserId: null,
        });
        process.stderr.write(created ? 'Run queued.\n' : 'Already queued: returning the active run.\n');
        out(JSON.stringify(await assembler.one(run)));
      } catch (error) {
        const runId = error instanceof DomainError ? (error.details.run_id as string | undefined) : undefined;
        const failed = runId ? await service.findById(runId) : null;
        if (failed) out(JSON.stringify(await assembler.one(failed)));
        throw error;
      }
    }),
  'run:show': (args, config) =>
    withContext(config, async (app) => {
      allowOnly(args, []);
      const id = args.positionals[0];
      if (!id) throw new UsageError('Missing <run-id>');
      const run = /^[0-9a-f-]{36}$/i.test(id) ? await app.get(OperationRunService).findById(id) : null;
      if (!run) throw SharedErrors.runNotFound(id);
      out(JSON.stringify(await app.get(RunResourceAssembler).one(run, { includeDiagnostics: true })));
    }),
  ...bindCommands(rbacCommands),
  ...bindCommands(reconciliationCommands),
  ...bindCommands(runControlCommands),
  ...bindCommands(bulkRunCommands),
};

function parseInput(raw: string | true | undefined): unknown {
  if (raw === undefined) return undefined;
  if (raw === true) throw new UsageError('--input needs a JSON value');
  try {
    return JSON.parse(raw);
  } catch {
    throw SharedErrors.inputNotJson();
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const command = args.command ? commands[args.command] : undefined;
  if (!command) {
    process.stderr.write(`${args.command ? `Unknown command "${args.command}".\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    await command(args, loadAppConfig());
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
