import { rememberEnvironment } from '../../../rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { OperationRunRow } from './operation-run.row';

/** The names of a run's environment (`e`, left-joined on the run): a run is always shown with them. */
export const RUN_ENVIRONMENT_COLUMNS = `e.slug as environment_slug, e.display_name as environment_name`;

export interface RunEnvironmentColumns {
  environment_slug: string | null;
  environment_name: string | null;
}

/**
 * Remembers the run's environment row for the rest of this request: whoever shows the run next
 * (the resource assembler, after the use case has checked scope) needs its name, not a lookup.
 */
export function rememberRunEnvironment(row: OperationRunRow & RunEnvironmentColumns): void {
  if (!row.environment_id || row.environment_slug === null || row.environment_name === null) return;
  rememberEnvironment({ id: row.environment_id, workspaceId: row.workspace_id, slug: row.environment_slug, displayName: row.environment_name });
}
