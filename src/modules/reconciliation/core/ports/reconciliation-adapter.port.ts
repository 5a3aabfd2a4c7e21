import { OperationRun, RelatedRef } from '../../../operations/core/operation-run';

export type AdapterTerminalDecision = 'succeeded' | 'partially_succeeded' | 'failed' | 'blocked';

export type AdapterDecision =
  | {
      decision: AdapterTerminalDecision;
      /** Reason code, e.g. `incomplete_snapshot`. */
      reason: string;
      /** Operator-safe sentence shown as the run's headline. */
      message: string;
      related?: RelatedRef;
      summaryCounts?: Record<string, number>;
      /**
       * The domain write that makes the verdict true (mark a partial artifact unusable, discard a
       * draft). The reconciler runs it only after this run's transition won, never in a dry run,
       * so deciding itself writes nothing.
       */
      apply?: () => Promise<void>;
    }
  | { decision: 'defer'; reason: string; message?: string };

/**
 * Knows one operation type's domain: given a stale run whose job is gone, it tells what the
 * domain proves happened. Deciding only reads (through ports); a domain write the verdict needs
 * is returned as the decision's `apply`. It never writes runs.
 */
export interface ReconciliationAdapter {
  readonly type: string;
  readonly name: string;
  decide(run: OperationRun, now: Date): Promise<AdapterDecision>;
  /**
   * The same verdict for a sweep's whole batch, reading the domain set-based (one read per batch,
   * not per run). Every run given gets an entry.
   */
  decideMany?(runs: OperationRun[], now: Date): Promise<Map<string, AdapterDecision>>;
}
