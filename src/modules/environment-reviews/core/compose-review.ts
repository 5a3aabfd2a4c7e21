import { CompositePart } from '../../operations/core/operation-run';
import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { decideCompose } from './compose-decision';
import { EVIDENCE_SECTIONS, EvidenceSection, EvidenceSectionKey } from './evidence';
import { EnvironmentReviewRepository } from './ports/environment-review.repository.port';
import { EvidenceSource } from './ports/evidence-source.port';
import { ReviewPeriod } from './review-period';
import { reviewFingerprint } from './review-fingerprint';
import { compositeParts, SectionProgressState } from './review-progress';

export interface ComposeReviewRequest {
  workspaceId: string;
  environmentId: string;
  period: ReviewPeriod;
  runId: string;
  signal: AbortSignal;
  /** Composite progress sink (the run's ProgressReporter.composite). */
  report(parts: CompositePart[]): Promise<void>;
}

/** What a stored review records as its evidence basis (the fingerprint's input, per section). */
export const reviewBasis = (sections: EvidenceSection[]) => ({
  fingerprint_version: 1,
  sections: sections.map((s) => ({ key: s.key, state: s.state, basis: s.basis ?? null })),
});

/** The `related` reference a compose run links to. */
export const reviewRef = (id: string) => ({ type: 'environment_review', id });

const SUMMARY = { total: EVIDENCE_SECTIONS.length, processed: EVIDENCE_SECTIONS.length };

export const LINEAGE_MOVED_MESSAGE =
  'Another review for this period was published while this one was being composed; compose again to build on it.';

/**
 * Composes one environment review (SPEC 5): gathers each evidence section (reporting composite
 * progress as each is ready or missing), fingerprints the evidence, asks decideCompose, and then
 * reuses the ready review with that fingerprint, blocks on ambiguous lineage, or writes a draft and
 * publishes it (superseding the previous ready review) in one transaction. A retried attempt first
 * removes the drafts its run left behind, so an attempt never leaves a ghost draft.
 */
export class ComposeReview {
  constructor(
    private readonly evidence: EvidenceSource,
    private readonly reviews: EnvironmentReviewRepository,
  ) {}

  async run(request: ComposeReviewRequest): Promise<HandlerResult> {
    const { workspaceId, environmentId, period, runId, signal } = request;
    await this.reviews.deleteDraftsOfRun(runId);
    const states: Partial<Record<EvidenceSectionKey, SectionProgressState>> = {};
    await request.report(compositeParts(states));
    const sections: EvidenceSection[] = [];
    for (const { key } of EVIDENCE_SECTIONS) {
      throwIfAborted(signal);
      const section = await this.evidence.gather(key, { workspaceId, environmentId, period });
      sections.push(section);
      states[key] = section.state;
      await request.report(compositeParts(states));
    }
    throwIfAborted(signal);
    const fingerprint = reviewFingerprint(environmentId, period, sections);
    const existing = await this.reviews.listForPeriod(environmentId, period);
    const decision = decideCompose(existing, fingerprint);
    if (decision.kind === 'reuse') {
      return { outcome: 'succeeded', summaryCounts: SUMMARY, related: reviewRef(decision.reviewId) };
    }
    if (decision.kind === 'block') {
      return { outcome: 'blocked', summaryCounts: SUMMARY, failures: [{ code: decision.reason, message: decision.message }] };
    }
    const draft = await this.reviews.insertDraft({
      workspaceId,
      environmentId,
      period,
      fingerprint,
      sections,
      basis: reviewBasis(sections),
      supersedesReviewId: decision.supersedesReviewId,
      runId,
    });
    if (signal.aborted) {
      // Aborted while the draft was written (a cancel or a timeout): it must not outlive the attempt.
      await this.reviews.deleteDraftsOfRun(runId);
      throw signal.reason ?? new Error('aborted');
    }
    const published = await this.reviews.publish(draft.id, decision.supersedesReviewId);
    if (!published) {
      await this.reviews.deleteDraftsOfRun(runId);
      return { outcome: 'blocked', summaryCounts: SUMMARY, failures: [{ code: 'attention_required', message: LINEAGE_MOVED_MESSAGE }] };
    }
    return { outcome: 'succeeded', summaryCounts: SUMMARY, related: reviewRef(published.id) };
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
}
