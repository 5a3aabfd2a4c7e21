import { Freshness } from './freshness';
import { OperationRun, RelatedRef, RunCancellation, RunFailure } from './operation-run';
import { readCancellation } from './run-cancellation';
import { readRetriedAs, readRetryOf } from './run-retry';
import { OperationTypeDefinition } from './operation-type';
import { ProblemClass } from './problem-class';
import { RunProgress } from './progress-contract';
import { isoOrNull, presentRun, readFailures, RunPresentation } from './run-presenter';
import { readSummaryCounts, SummaryCounts } from './summary-counts';
import { asRecord } from '../../../shared/core/json-guards';

export interface RunResourceRefs {
  workspace: { id: string; slug: string; name: string } | null;
  environment: { id: string; slug: string; name: string } | null;
  initiator: { id: string; name: string } | null;
}

/** The snake_case run document shared by the CLI and the JSON API. */
export interface RunResource {
  id: string;
  workspace: RunResourceRefs['workspace'];
  environment: RunResourceRefs['environment'];
  type: string;
  type_label: string;
  status: string;
  outcome: string;
  initiator: RunResourceRefs['initiator'];
  created_at: string | null;
  started_at: string | null;
  last_heartbeat_at: string | null;
  completed_at: string | null;
  attempts: number;
  summary_counts: SummaryCounts;
  freshness: Freshness;
  problem_class: ProblemClass;
  progress: RunProgress;
  presentation: Pick<RunPresentation, 'banner' | 'headline' | 'guidance' | 'badges' | 'links'>;
  reconciliation: RunPresentation['reconciliation'];
  related: RelatedRef | null;
  failures: RunFailure[];
  /** An operator's cancel request (null when none): kept after the run ends, as the record of who asked. */
  cancellation: RunCancellation | null;
  /** The run this one retries, and the latest retry of this one (run ids; null when none). */
  retry_of: string | null;
  retried_as: string | null;
  /** Present only for callers holding `operations.view_diagnostics`. */
  diagnostics?: Record<string, unknown>;
}

export function toRunResource(
  run: OperationRun,
  refs: RunResourceRefs,
  definition: OperationTypeDefinition | null,
  now: Date,
  opts: { includeDiagnostics?: boolean; superseded?: boolean } = {},
): RunResource {
  const view = presentRun(run, definition, now, { superseded: opts.superseded });
  const resource: RunResource = {
    id: run.id,
    workspace: refs.workspace,
    environment: refs.environment,
    // Readers map legacy aliases to the canonical type through the catalog definition.
    type: definition?.type ?? run.type,
    type_label: definition?.label ?? run.type,
    status: run.status,
    outcome: run.outcome,
    initiator: refs.initiator,
    created_at: isoOrNull(run.createdAt),
    started_at: isoOrNull(run.startedAt),
    last_heartbeat_at: isoOrNull(run.lastHeartbeatAt),
    completed_at: isoOrNull(run.completedAt),
    attempts: Number.isFinite(run.attempts) ? run.attempts : 0,
    summary_counts: readSummaryCounts(run.summaryCounts),
    freshness: view.freshness,
    problem_class: view.problem_class,
    progress: view.progress,
    presentation: {
      banner: view.banner,
      headline: view.headline,
      guidance: view.guidance,
      badges: view.badges,
      links: view.links,
    },
    reconciliation: view.reconciliation,
    related: readRelated(run),
    failures: readFailures(run),
    cancellation: readCancellation(run),
    retry_of: readRetryOf(run),
    retried_as: readRetriedAs(run),
  };
  // Raw detail stays out of the document entirely unless asked for, not merely emptied.
  if (opts.includeDiagnostics) resource.diagnostics = readDiagnostics(run);
  return resource;
}

function readRelated(run: OperationRun): RelatedRef | null {
  const related = asRecord(asRecord(run.context)?.related);
  if (!related || typeof related.type !== 'string' || typeof related.id !== 'string') return null;
  const ref: RelatedRef = { type: related.type, id: related.id };
  const syncedAt = related.inventory_synced_at;
  if (typeof syncedAt === 'string' && Number.isFinite(Date.parse(syncedAt))) ref.inventory_synced_at = syncedAt;
  return ref;
}

function readDiagnostics(run: OperationRun): Record<string, unknown> {
  return asRecord(asRecord(run.context)?.diagnostics) ?? {};
}
