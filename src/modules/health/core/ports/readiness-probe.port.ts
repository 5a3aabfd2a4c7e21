import { ReadinessCheck } from '../readiness-policy';

export const READINESS_PROBE = Symbol('READINESS_PROBE');

/** The probe's answer body (terminus's shape: status, info, error, details) and its verdict. */
export interface ReadinessOutcome {
  ready: boolean;
  body: Record<string, unknown> & { details: Record<string, unknown> };
}

/** Runs checks: the required ones decide `ready`; the reported ones only add details. */
export interface ReadinessProbe {
  run(required: readonly ReadinessCheck[], reported: readonly ReadinessCheck[]): Promise<ReadinessOutcome>;
}
