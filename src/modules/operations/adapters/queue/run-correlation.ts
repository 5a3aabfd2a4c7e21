import type { Job } from 'bullmq';
import { isUuid } from '../../../../shared/core/uuid';

export interface RunJobData {
  operationRunId: string;
}

/**
 * The one way to map a queue job to its run: `job.data.operationRunId`, nothing else. A job
 * without a well-formed id is skipped, never matched by name, timing or guesswork.
 */
export function resolveRunId(job: Pick<Job, 'data'>): string | null {
  const id = (job.data as Partial<RunJobData> | undefined)?.operationRunId;
  return typeof id === 'string' && isUuid(id) ? id.toLowerCase() : null;
}
