import type { Job } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunJobData {
  operationRunId: string;
}

/**
 * The one way to map a queue job to its run: `job.data.operationRunId`, nothing else. A job
 * without a well-formed id is skipped, never matched by name, timing or guesswork.
 */
export function resolveRunId(job: Pick<Job, 'data'>): string | null {
  const id = (job.data as Partial<RunJobData> | undefined)?.operationRunId;
  return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : null;
}
