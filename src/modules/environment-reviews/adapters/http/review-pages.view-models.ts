import { routes } from '../../../../shared/core/routes';
import { FINDING_TYPE_LABELS } from '../../../baselines/core/finding-type-labels';
import {
  BaselineDriftData,
  EvidenceSection,
  InventoryCoverageData,
  OperationsHealthData,
} from '../../core/evidence';

/** Tone of a review's status badge. */
export function statusTone(status: string): string {
  return status === 'ready' ? 'success' : status === 'superseded' ? 'neutral' : 'info';
}

/**
 * A section as the review page shows it: the known shapes as tables (with links to the compare
 * results they cite), anything else as escaped JSON. Missing sections keep their explanation.
 */
export interface ReviewSectionView {
  key: string;
  label: string;
  state: string;
  explanation: string | null;
  drift: {
    compareResults: { id: string; url: string; baselineName: string; completedAt: string | null; findings: number; inventorySyncedAt: string | null }[];
    findings: { type: string; typeLabel: string; kind: string; count: number }[];
  } | null;
  health: OperationsHealthData['runs'] | null;
  coverage: { items: InventoryCoverageData['items']; lastSync: string | null; total: number } | null;
  other: Record<string, unknown> | null;
}

export function reviewSectionViews(sections: EvidenceSection[], workspaceSlug: string): ReviewSectionView[] {
  return sections.map((section) => {
    const view: ReviewSectionView = {
      key: section.key,
      label: section.label,
      state: section.state,
      explanation: section.explanation,
      drift: null,
      health: null,
      coverage: null,
      other: null,
    };
    const data = section.data;
    if (section.state !== 'ready' || !data) return view;
    if (section.key === 'baseline_drift') {
      const drift = data as unknown as BaselineDriftData;
      view.drift = {
        compareResults: (drift.compare_results ?? []).map((r) => ({
          id: r.id,
          url: routes.baselineCompareResult(workspaceSlug, r.id),
          baselineName: r.baseline_name,
          completedAt: r.completed_at,
          findings: r.findings,
          inventorySyncedAt: r.inventory_synced_at ?? null,
        })),
        findings: (drift.findings ?? []).map((f) => ({
          ...f,
          typeLabel: FINDING_TYPE_LABELS[f.type as keyof typeof FINDING_TYPE_LABELS] ?? f.type,
        })),
      };
    } else if (section.key === 'operations_health') {
      view.health = (data as unknown as OperationsHealthData).runs ?? [];
    } else if (section.key === 'inventory_coverage') {
      const coverage = data as unknown as InventoryCoverageData;
      const items = coverage.items ?? [];
      view.coverage = { items, lastSync: coverage.last_successful_sync_at, total: items.reduce((n, i) => n + i.count, 0) };
    } else {
      view.other = data;
    }
    return view;
  });
}
