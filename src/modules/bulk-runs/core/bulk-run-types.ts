/** The catalog types of runs that act on other runs (config/operation-catalog.json, `level: workspace`). */
export const BULK_CANCEL_TYPE = 'operations.bulk_cancel';
export const BULK_RETRY_TYPE = 'operations.bulk_retry';
export const FAN_OUT_TYPE = 'operations.fan_out';

export const BULK_ACTIONS = ['cancel', 'retry'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_TYPE_OF: Record<BulkAction, string> = { cancel: BULK_CANCEL_TYPE, retry: BULK_RETRY_TYPE };

/** Which runs of the view each action acts on (the run list's target selection). */
export const BULK_SELECTION_OF = { cancel: 'active', retry: 'retryable' } as const satisfies Record<BulkAction, string>;

/**
 * At most this many runs per bulk run: the worker holds their ids in memory and a confirmation
 * that states "10 000 or more" is still exact about what will happen. More: narrow the filter.
 */
export const MAX_BULK_TARGETS = 10_000;

/** At most this many environments named by one fan-out. */
export const MAX_FAN_OUT_ENVIRONMENTS = 500;
