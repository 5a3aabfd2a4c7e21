import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { DomainError } from '../../../../shared/core/domain-error';
import { BASELINE_CREATED, BASELINE_UPDATED } from '../../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditEventInput, AuditLog } from '../../../../shared/core/audit-trail/audit-log.port';
import { AccessControl, notFoundError, WorkspaceAccess } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { EnvironmentRef, TENANCY_DIRECTORY, TenancyDirectory } from '../../../rbac/core/ports/tenancy-directory.port';
import { BASELINE_COMPARE_REPOSITORY, BaselineCompareRepository } from '../../core/ports/baseline-compare.repository.port';
import {
  BASELINE_PROFILE_REPOSITORY,
  BaselineProfile,
  BaselineProfileChanges,
  BaselineProfileRepository,
} from '../../core/ports/baseline-profile.repository.port';
import { BASELINE_HISTORY_QUERY, BaselineHistoryQuery } from '../../core/ports/baseline-history.query.port';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshotRepository } from '../../core/ports/baseline-snapshot.repository.port';
import {
  BaselineActivityView,
  BaselineDetailView,
  BaselineView,
  CompareResultView,
  decodeFindingsCursor,
  encodeFindingsCursor,
  FindingListView,
  SnapshotView,
  toBaselineView,
  toCompareResultView,
  toFindingView,
  toSnapshotView,
} from './baselines-api.views';
import { CreateBaselineRequest } from './create-baseline.request';
import { DEFAULT_FINDINGS_PAGE, ListFindingsRequest } from './list-findings.request';
import { UpdateBaselineRequest } from './update-baseline.request';

/**
 * Baseline profiles and drift findings over the JSON API, under the same rules as the operations
 * API: unknown and hidden workspaces, profiles, results and environments answer one 404; in scope
 * without the capability is a 403. A profile is visible with its source environment; findings
 * also need the compare's target environment. Creating and editing profiles is audited.
 */
@Injectable()
export class BaselinesApiService {
  private readonly logger = new Logger(BaselinesApiService.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository,
    @Inject(BASELINE_COMPARE_REPOSITORY) private readonly results: BaselineCompareRepository,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(BASELINE_HISTORY_QUERY) private readonly history: BaselineHistoryQuery,
  ) {}

  async list(principal: Principal, workspaceSlug: string): Promise<{ items: BaselineView[] }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const profiles = await this.profiles.listByWorkspace(
      ws.workspace.id,
      ws.scope.allEnvironments ? undefined : ws.scope.environmentIds,
    );
    const environments = await this.environmentsById(profiles.map((p) => p.sourceEnvironmentId));
    return { items: profiles.map((p) => toBaselineView(p, environments.get(p.sourceEnvironmentId))) };
  }

  async create(principal: Principal, workspaceSlug: string, body: CreateBaselineRequest): Promise<BaselineView> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.BASELINES_MANAGE });
    const name = cleanName(body.name);
    // In the workspace, an unknown or hidden source is a bad field, not a missing resource.
    const source = await this.access.environment(ws, body.source_environment).catch(() => {
      throw new DomainError('invalid_input', `Environment "${body.source_environment}" was not found.`);
    });
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: source.id,
      capability: CAPABILITIES.BASELINES_MANAGE,
    });
    const profile = await this.profiles.create({
      workspaceId: ws.workspace.id,
      name,
      sourceEnvironmentId: source.id,
      policyKinds: cleanKinds(body.policy_kinds ?? []),
    });
    await this.record({
      actorUserId: principal.userId,
      actorLabel: principal.email,
      workspaceId: ws.workspace.id,
      environmentId: source.id,
      action: BASELINE_CREATED,
      subjectType: 'baseline_profile',
      subjectId: profile.id,
      metadata: { name: profile.name, policy_kinds: profile.policyKinds },
    });
    return toBaselineView(profile, source);
  }

  /**
   * Renames a profile or changes its policy kinds (baselines.manage on its source environment).
   * Hidden and unknown profiles answer the same 404; the source environment never changes.
   */
  async update(principal: Principal, workspaceSlug: string, id: string, body: UpdateBaselineRequest): Promise<BaselineView> {
    if (body.name === undefined && body.policy_kinds === undefined) {
      throw new DomainError('invalid_input', 'Provide name and/or policy_kinds to change.');
    }
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const current = await this.profiles.findInWorkspace(ws.workspace.id, id);
    if (!current) throw notFoundError();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: current.sourceEnvironmentId,
      capability: CAPABILITIES.BASELINES_MANAGE,
    });
    const changes: BaselineProfileChanges = {};
    if (body.name !== undefined) {
      const name = cleanName(body.name);
      if (name !== current.name) changes.name = name;
    }
    if (body.policy_kinds !== undefined) {
      const kinds = cleanKinds(body.policy_kinds);
      if (kinds.join('\n') !== [...current.policyKinds].sort().join('\n')) changes.policyKinds = kinds;
    }
    const changed = [...(changes.name !== undefined ? ['name'] : []), ...(changes.policyKinds !== undefined ? ['policy_kinds'] : [])];
    const environments = await this.environmentsById([current.sourceEnvironmentId]);
    const source = environments.get(current.sourceEnvironmentId);
    // Nothing differs: answer the profile as it is, without a write or an audit event.
    if (changed.length === 0) return toBaselineView(current, source);
    const profile = await this.profiles.update(ws.workspace.id, current.id, changes);
    if (!profile) throw notFoundError(); // deleted meanwhile
    await this.record({
      actorUserId: principal.userId,
      actorLabel: principal.email,
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      action: BASELINE_UPDATED,
      subjectType: 'baseline_profile',
      subjectId: profile.id,
      metadata: { name: profile.name, policy_kinds: profile.policyKinds, changed },
    });
    return toBaselineView(profile, source);
  }

  async get(principal: Principal, workspaceSlug: string, id: string): Promise<BaselineDetailView> {
    const { profile } = await this.visibleProfile(principal, workspaceSlug, id);
    const [environments, snapshots] = await Promise.all([
      this.environmentsById([profile.sourceEnvironmentId]),
      this.snapshots.listByProfile(profile.id),
    ]);
    return {
      ...toBaselineView(profile, environments.get(profile.sourceEnvironmentId)),
      snapshots: snapshots.map(toSnapshotView),
    };
  }

  async findings(
    principal: Principal,
    workspaceSlug: string,
    id: string,
    resultId: string,
    query: ListFindingsRequest,
  ): Promise<FindingListView> {
    const { ws, profile } = await this.visibleProfile(principal, workspaceSlug, id);
    const result = await this.results.findForProfile(profile.id, resultId);
    if (!result) throw notFoundError();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: result.targetEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    const after = query.cursor === undefined ? undefined : decodeFindingsCursor(query.cursor);
    if (after === null) {
      throw new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.');
    }
    const limit = query.limit ?? DEFAULT_FINDINGS_PAGE;
    const page = await this.results.listFindings({
      compareResultId: result.id,
      kind: query.kind,
      type: query.type,
      limit: limit + 1,
      after,
    });
    const items = page.slice(0, limit);
    return {
      items: items.map(toFindingView),
      next_cursor: page.length > limit ? encodeFindingsCursor(items[items.length - 1].pairKey) : null,
    };
  }

  /** The list page: each visible profile with its newest snapshot and newest compare on a visible target. */
  async listWithActivity(principal: Principal, workspaceSlug: string): Promise<{ items: BaselineActivityView[] }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const visible = ws.scope.allEnvironments ? undefined : ws.scope.environmentIds;
    const profiles = await this.profiles.listByWorkspace(ws.workspace.id, visible);
    const ids = profiles.map((p) => p.id);
    const [snapshots, results] = await Promise.all([
      this.history.latestSnapshots(ids),
      this.history.latestCompareResults(ids, visible),
    ]);
    const environments = await this.environmentsById([
      ...profiles.map((p) => p.sourceEnvironmentId),
      ...results.map((r) => r.targetEnvironmentId),
    ]);
    const snapshotOf = new Map(snapshots.map((s) => [s.profileId, toSnapshotView(s)]));
    const resultOf = new Map(results.map((r) => [r.profileId, toCompareResultView(r, environments.get(r.targetEnvironmentId))]));
    return {
      items: profiles.map((p) => ({
        ...toBaselineView(p, environments.get(p.sourceEnvironmentId)),
        latest_snapshot: snapshotOf.get(p.id) ?? null,
        latest_compare: resultOf.get(p.id) ?? null,
      })),
    };
  }

  /** Compare results of a visible profile on targets the user may see, newest first. */
  async compareResults(principal: Principal, workspaceSlug: string, id: string, limit = 50): Promise<CompareResultView[]> {
    const { ws, profile } = await this.visibleProfile(principal, workspaceSlug, id);
    const visible = ws.scope.allEnvironments ? undefined : ws.scope.environmentIds;
    const results = await this.history.compareResults(profile.id, visible, limit);
    const environments = await this.environmentsById(results.map((r) => r.targetEnvironmentId));
    return results.map((r) => toCompareResultView(r, environments.get(r.targetEnvironmentId)));
  }

  /** One snapshot by id, visible with its profile (its source environment). */
  async snapshot(principal: Principal, workspaceSlug: string, snapshotId: string): Promise<{ profile: BaselineView; snapshot: SnapshotView }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const snapshot = await this.snapshots.findById(snapshotId);
    const profile = snapshot ? await this.profiles.findInWorkspace(ws.workspace.id, snapshot.profileId) : null;
    if (!snapshot || !profile) throw notFoundError();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    const environments = await this.environmentsById([profile.sourceEnvironmentId]);
    return { profile: toBaselineView(profile, environments.get(profile.sourceEnvironmentId)), snapshot: toSnapshotView(snapshot) };
  }

  /**
   * One compare result by id (no profile id in the URL), under the findings rules: visible with its
   * profile's source and its target environment. Includes the kinds its findings have (for filters).
   */
  async compareResult(
    principal: Principal,
    workspaceSlug: string,
    resultId: string,
  ): Promise<{ profile: BaselineView; result: CompareResultView; finding_kinds: string[] }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const result = await this.history.findCompareResult(resultId);
    const profile = result ? await this.profiles.findInWorkspace(ws.workspace.id, result.profileId) : null;
    if (!result || !profile) throw notFoundError();
    for (const environmentId of [profile.sourceEnvironmentId, result.targetEnvironmentId]) {
      this.access.require(ws.grants, { workspaceId: ws.workspace.id, environmentId, capability: CAPABILITIES.OPERATIONS_VIEW });
    }
    const [environments, kinds] = await Promise.all([
      this.environmentsById([profile.sourceEnvironmentId, result.targetEnvironmentId]),
      this.history.findingKinds(result.id),
    ]);
    return {
      profile: toBaselineView(profile, environments.get(profile.sourceEnvironmentId)),
      result: toCompareResultView(result, environments.get(result.targetEnvironmentId)),
      finding_kinds: kinds,
    };
  }

  private async visibleProfile(
    principal: Principal,
    workspaceSlug: string,
    id: string,
  ): Promise<{ ws: WorkspaceAccess; profile: BaselineProfile }> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const profile = await this.profiles.findInWorkspace(ws.workspace.id, id);
    if (!profile) throw notFoundError();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    return { ws, profile };
  }

  /** The audit trail must not turn a stored change into a 500. */
  private async record(event: AuditEventInput): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error(`Could not record audit event ${event.action}: ${(error as Error)?.message ?? error}`);
    }
  }

  private async environmentsById(ids: string[]): Promise<Map<string, EnvironmentRef>> {
    const unique = [...new Set(ids)];
    const found = unique.length ? await this.tenancy.findEnvironmentsByIds(unique) : [];
    return new Map(found.map((e) => [e.id, e]));
  }
}

function cleanName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new DomainError('invalid_input', 'name must not be empty');
  return name;
}

/** Trimmed, deduplicated and sorted, so equal sets compare equal. */
function cleanKinds(raw: string[]): string[] {
  return [...new Set(raw.map((k) => k.trim()))].sort();
}
