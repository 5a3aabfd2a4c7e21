/** What the catalog knows about one canonical operation type (SPEC 2.2, 2.3). */
export const PROGRESS_MODES = ['none', 'activity', 'counted', 'phased', 'composite'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface PhaseDefinition {
  key: string;
  /** Operator-safe label, e.g. "Capturing policy evidence". */
  label: string;
}

export interface BackoffPolicy {
  type: 'fixed' | 'exponential';
  delay_s: number;
}

/** Lifecycle policy, in seconds, exactly as written in config (snake_case keeps one vocabulary). */
export interface LifecyclePolicy {
  expected_duration_s: number;
  heartbeat_s: number;
  stale_queued_after_s: number;
  stale_running_after_s: number;
  job_timeout_s: number;
  max_attempts: number;
  backoff: BackoffPolicy;
}

export interface OperationTypeDefinition {
  type: string;
  label: string;
  module: string;
  /** Capability needed to start it, e.g. `inventory.sync`. */
  capability: string;
  progress_mode: ProgressMode;
  aliases: string[];
  /** Ordered phases for phased types; empty otherwise. */
  phases: PhaseDefinition[];
  /**
   * What a composite type's parts are called, e.g. "evidence sections", so the progress label
   * reads "2 of 3 evidence sections ready". Absent → "parts". Only composite types may set it.
   */
  composite_unit?: string;
  /**
   * `workspace`: started for a workspace (bulk actions, fan-out), never from an environment's
   * start form nor through an environment's start endpoint. Absent: an environment's type.
   */
  level?: 'workspace';
  policy: LifecyclePolicy;
}

/** Whether an environment's start form and start endpoint offer this type. */
export function startsFromEnvironment(definition: Pick<OperationTypeDefinition, 'level'>): boolean {
  return definition.level !== 'workspace';
}
