import { RunEnvironmentName } from '../../core/ports/run-list-query.port';
import { OperationRunRow } from './operation-run.row';

/** The names of a run's environment (`e`, left-joined on the run): a run is always shown with them. */
export const RUN_ENVIRONMENT_COLUMNS = `e.slug as environment_slug, e.display_name as environment_name`;

export interface RunEnvironmentColumns {
  environment_slug: string | null;
  environment_name: string | null;
}

/** The run's environment as read with it (null for a workspace-level run or a deleted environment). */
export function runEnvironmentOf(row: OperationRunRow & RunEnvironmentColumns): RunEnvironmentName | null {
  if (!row.environment_id || row.environment_slug === null || row.environment_name === null) return null;
  return { id: row.environment_id, slug: row.environment_slug, name: row.environment_name };
}
