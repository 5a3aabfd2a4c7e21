/** What the decision needs to know about a review already stored for the same environment and period. */
export interface ExistingReview {
  id: string;
  status: 'draft' | 'ready' | 'superseded';
  fingerprint: string;
}

export type ComposeDecision =
  | { kind: 'reuse'; reviewId: string }
  | { kind: 'compose'; supersedesReviewId: string | null }
  | { kind: 'block'; reason: 'attention_required'; message: string };

export const AMBIGUOUS_LINEAGE_MESSAGE =
  'Two ready reviews exist for this period; resolve the lineage before composing again.';

/**
 * Reuse, compose or block (SPEC 5). Only ready reviews count: drafts are stale leftovers of an
 * interrupted compose and superseded ones are history. More than one ready review means the
 * lineage is ambiguous, so nothing is composed or reused until an operator resolves it.
 */
export function decideCompose(existingForPeriod: ExistingReview[], fingerprint: string): ComposeDecision {
  const ready = existingForPeriod.filter((r) => r.status === 'ready');
  if (ready.length > 1) return { kind: 'block', reason: 'attention_required', message: AMBIGUOUS_LINEAGE_MESSAGE };
  if (ready.length === 0) return { kind: 'compose', supersedesReviewId: null };
  const [current] = ready;
  if (current.fingerprint === fingerprint) return { kind: 'reuse', reviewId: current.id };
  return { kind: 'compose', supersedesReviewId: current.id };
}
