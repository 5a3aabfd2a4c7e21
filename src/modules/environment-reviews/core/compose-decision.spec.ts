import { AMBIGUOUS_LINEAGE_MESSAGE, ComposeDecision, decideCompose, ExistingReview } from './compose-decision';

const FP = 'fp-current';
const review = (id: string, status: ExistingReview['status'], fingerprint = FP): ExistingReview => ({ id, status, fingerprint });

describe('decideCompose', () => {
  it.each<[string, ExistingReview[], ComposeDecision]>([
    ['nothing yet → compose a first review', [], { kind: 'compose', supersedesReviewId: null }],
    ['one ready, same fingerprint → reuse it', [review('r1', 'ready')], { kind: 'reuse', reviewId: 'r1' }],
    ['one ready, other fingerprint → compose superseding it', [review('r1', 'ready', 'old')], { kind: 'compose', supersedesReviewId: 'r1' }],
    ['only drafts (stale leftovers) → compose with no lineage', [review('d1', 'draft'), review('d2', 'draft', 'x')], { kind: 'compose', supersedesReviewId: null }],
    ['only superseded → compose with no lineage', [review('s1', 'superseded')], { kind: 'compose', supersedesReviewId: null }],
    ['a draft with the same fingerprint is not reused', [review('d1', 'draft')], { kind: 'compose', supersedesReviewId: null }],
    [
      'ready + drafts + superseded, same fingerprint → reuse the ready one',
      [review('s1', 'superseded', 'a'), review('d1', 'draft'), review('r1', 'ready'), review('d2', 'draft', 'b')],
      { kind: 'reuse', reviewId: 'r1' },
    ],
    [
      'ready + superseded matching the new evidence → supersede the ready one, not revive history',
      [review('s1', 'superseded'), review('r1', 'ready', 'newer')],
      { kind: 'compose', supersedesReviewId: 'r1' },
    ],
    [
      'two ready → block',
      [review('r1', 'ready'), review('r2', 'ready', 'other')],
      { kind: 'block', reason: 'attention_required', message: AMBIGUOUS_LINEAGE_MESSAGE },
    ],
    [
      'two ready, both matching → still block',
      [review('r1', 'ready'), review('r2', 'ready')],
      { kind: 'block', reason: 'attention_required', message: AMBIGUOUS_LINEAGE_MESSAGE },
    ],
    [
      'three ready among drafts → block',
      [review('r1', 'ready'), review('d1', 'draft'), review('r2', 'ready'), review('r3', 'ready')],
      { kind: 'block', reason: 'attention_required', message: AMBIGUOUS_LINEAGE_MESSAGE },
    ],
  ])('%s', (_name, existing, expected) => {
    expect(decideCompose(existing, FP)).toEqual(expected);
  });

  it('the block message is operator-safe (no ids, no fingerprints)', () => {
    const decision = decideCompose([review('r1-secret-id', 'ready'), review('r2', 'ready')], FP);
    expect(decision).toMatchObject({ kind: 'block', message: 'Two ready reviews exist for this period; resolve the lineage before composing again.' });
    expect(JSON.stringify(decision)).not.toMatch(/r1-secret-id|fp-current/);
  });
});
