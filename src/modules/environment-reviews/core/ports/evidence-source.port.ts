import { EvidenceSection, EvidenceSectionKey } from '../evidence';
import { ReviewPeriod } from '../review-period';

export interface EvidenceScope {
  workspaceId: string;
  environmentId: string;
  period: ReviewPeriod;
}

/** Reads one evidence section of an environment for a period (`missing` with an explanation when there is none). */
export interface EvidenceSource {
  gather(key: EvidenceSectionKey, scope: EvidenceScope): Promise<EvidenceSection>;
}

export const EVIDENCE_SOURCE = Symbol('EVIDENCE_SOURCE');
