import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { FindingType, SettingChange } from '../core/drift';
import { BaselineProfile } from '../core/ports/baseline-profile.repository.port';
import { BaselineSnapshot } from '../core/ports/baseline-snapshot.repository.port';
import { CompareResult, StoredFinding } from '../core/ports/baseline-compare.repository.port';

/*
 * The read models the baselines use cases return: the API sends them as they are (snake_case like
 * the rest of /api/v1, documented by baselines-api.responses.ts) and the pages build their view
 * models from them. Mapping from stored records happens here, once.
 */

export interface BaselineView {
  id: string;
  name: string;
  source_environment: { id: string; slug: string; name: string } | null;
  policy_kinds: string[];
  created_at: string;
  updated_at: string;
}

export interface SnapshotView {
  id: string;
  run_id: string;
  status: string;
  item_count: number;
  created_at: string;
  completed_at: string | null;
}

export interface BaselineDetailView extends BaselineView {
  /** Newest first. */
  snapshots: SnapshotView[];
}

export interface EnvironmentView {
  id: string;
  slug: string;
  name: string;
}

export interface CompareResultView {
  id: string;
  profile_id: string;
  snapshot_id: string;
  run_id: string;
  status: string;
  target_environment: EnvironmentView | null;
  findings_count: number;
  total_pairs: number | null;
  /** When the target's inventory the compare read was synced; null for results recorded before it was kept. */
  inventory_synced_at: string | null;
  created_at: string;
  completed_at: string | null;
}

/** A profile as the list page shows it: with its newest snapshot and newest visible compare. */
export interface BaselineActivityView extends BaselineView {
  latest_snapshot: SnapshotView | null;
  latest_compare: CompareResultView | null;
}

export interface FindingView {
  id: string;
  type: FindingType;
  kind: string;
  external_id: string;
  display_name: string;
  changes?: SettingChange[];
}

export interface FindingListView {
  items: FindingView[];
  next_cursor: string | null;
}

export function toBaselineView(profile: BaselineProfile, source: EnvironmentRef | undefined): BaselineView {
  return {
    id: profile.id,
    name: profile.name,
    source_environment: source ? { id: source.id, slug: source.slug, name: source.displayName } : null,
    policy_kinds: profile.policyKinds,
    created_at: profile.createdAt.toISOString(),
    updated_at: profile.updatedAt.toISOString(),
  };
}

export function toSnapshotView(snapshot: BaselineSnapshot): SnapshotView {
  return {
    id: snapshot.id,
    run_id: snapshot.runId,
    status: snapshot.status,
    item_count: snapshot.itemCount,
    created_at: snapshot.createdAt.toISOString(),
    completed_at: snapshot.completedAt?.toISOString() ?? null,
  };
}

export function toCompareResultView(result: CompareResult, target: EnvironmentRef | undefined): CompareResultView {
  return {
    id: result.id,
    profile_id: result.profileId,
    snapshot_id: result.snapshotId,
    run_id: result.runId,
    status: result.status,
    target_environment: target ? { id: target.id, slug: target.slug, name: target.displayName } : null,
    findings_count: result.findingsCount,
    total_pairs: result.totalPairs,
    inventory_synced_at: result.inventorySyncedAt?.toISOString() ?? null,
    created_at: result.createdAt.toISOString(),
    completed_at: result.completedAt?.toISOString() ?? null,
  };
}

/** `changes` only for setting_differs: the other types have nothing to show there. */
export function toFindingView(finding: StoredFinding): FindingView {
  const view: FindingView = {
    id: finding.id,
    type: finding.type,
    kind: finding.kind,
    external_id: finding.external_id,
    display_name: finding.display_name,
  };
  if (finding.type === 'setting_differs') view.changes = finding.changes ?? [];
  return view;
}
