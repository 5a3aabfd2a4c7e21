import { randomUUID } from 'node:crypto';
import { InventoryRecord } from '../../../src/modules/baselines/core/inventory-item';
import {
  BaselineCompareRepository,
  CompareResult,
  FindingsQuery,
  KeyedFinding,
  NewCompareResult,
  StoredFinding,
} from '../../../src/modules/baselines/core/ports/baseline-compare.repository.port';
import {
  BaselineProfile,
  BaselineProfileChanges,
  BaselineProfileRepository,
  NewBaselineProfile,
} from '../../../src/modules/baselines/core/ports/baseline-profile.repository.port';
import {
  BaselineSnapshot,
  BaselineSnapshotRepository,
  SnapshotItem,
} from '../../../src/modules/baselines/core/ports/baseline-snapshot.repository.port';
import { CurrentInventory, InventorySyncState } from '../../../src/modules/baselines/core/ports/current-inventory.port';

export class InMemoryBaselineProfiles implements BaselineProfileRepository {
  readonly rows: BaselineProfile[] = [];
  async create(p: NewBaselineProfile): Promise<BaselineProfile> {
    const profile = { ...p, id: randomUUID(), createdAt: new Date(), updatedAt: new Date() };
    this.rows.push(profile);
    return profile;
  }
  async ensure(p: NewBaselineProfile): Promise<BaselineProfile> {
    const same = (r: BaselineProfile) =>
      r.workspaceId === p.workspaceId && r.sourceEnvironmentId === p.sourceEnvironmentId && r.name.toLowerCase() === p.name.toLowerCase();
    return this.rows.find(same) ?? this.create(p);
  }
  async update(workspaceId: string, id: string, changes: BaselineProfileChanges): Promise<BaselineProfile | null> {
    const row = this.rows.find((r) => r.workspaceId === workspaceId && r.id === id);
    if (!row) return null;
    if (changes.name !== undefined) row.name = changes.name;
    if (changes.policyKinds !== undefined) row.policyKinds = changes.policyKinds;
    row.updatedAt = new Date();
    return { ...row };
  }
  async findInWorkspace(workspaceId: string, id: string): Promise<BaselineProfile | null> {
    return this.rows.find((r) => r.workspaceId === workspaceId && r.id === id) ?? null;
  }
  async listByWorkspace(workspaceId: string): Promise<BaselineProfile[]> {
    return this.rows.filter((r) => r.workspaceId === workspaceId);
  }
}

export class InMemoryBaselineSnapshots implements BaselineSnapshotRepository {
  readonly rows: BaselineSnapshot[] = [];
  readonly stored = new Map<string, Map<string, SnapshotItem>>();
  async startForRun(profileId: string, runId: string): Promise<BaselineSnapshot> {
    const existing = await this.findByRun(runId);
    if (existing) return existing;
    const snapshot: BaselineSnapshot = {
      id: randomUUID(), profileId, runId, status: 'capturing', itemCount: 0, createdAt: new Date(), completedAt: null,
    };
    this.rows.push(snapshot);
    this.stored.set(snapshot.id, new Map());
    return snapshot;
  }
  async insertItems(snapshotId: string, items: SnapshotItem[]): Promise<void> {
    const map = this.stored.get(snapshotId)!;
    for (const item of items) if (!map.has(`${item.kind}/${item.external_id}`)) map.set(`${item.kind}/${item.external_id}`, item);
  }
  async markComplete(snapshotId: string): Promise<BaselineSnapshot | null> {
    const row = this.rows.find((r) => r.id === snapshotId && r.status === 'capturing');
    if (!row) return null;
    Object.assign(row, { status: 'complete', completedAt: new Date(), itemCount: this.stored.get(snapshotId)!.size });
    return { ...row };
  }
  async markUnusable(snapshotId: string): Promise<void> {
    const row = this.rows.find((r) => r.id === snapshotId && r.status === 'capturing');
    if (row) row.status = 'unusable';
  }
  async findByRun(runId: string): Promise<BaselineSnapshot | null> {
    return this.rows.find((r) => r.runId === runId) ?? null;
  }
  async findByRuns(runIds: string[]): Promise<Map<string, BaselineSnapshot>> {
    return new Map(this.rows.filter((r) => runIds.includes(r.runId)).map((r) => [r.runId, r]));
  }
  async findById(id: string): Promise<BaselineSnapshot | null> {
    return this.rows.find((r) => r.id === id) ?? null;
  }
  async latestComplete(profileId: string): Promise<BaselineSnapshot | null> {
    return [...this.rows].reverse().find((r) => r.profileId === profileId && r.status === 'complete') ?? null;
  }
  async listByProfile(profileId: string): Promise<BaselineSnapshot[]> {
    return [...this.rows].reverse().filter((r) => r.profileId === profileId);
  }
  async items(snapshotId: string): Promise<SnapshotItem[]> {
    return [...this.stored.get(snapshotId)!.values()];
  }
}

export class InMemoryBaselineCompareResults implements BaselineCompareRepository {
  readonly rows: CompareResult[] = [];
  readonly findings = new Map<string, Map<string, StoredFinding>>();
  readonly batches: Array<{ checkpoint: number; size: number }> = [];
  async startForRun(r: NewCompareResult): Promise<CompareResult> {
    const existing = await this.findByRun(r.runId);
    if (existing) return existing;
    const row: CompareResult = {
      ...r, id: randomUUID(), status: 'in_progress', checkpoint: 0, totalPairs: null, findingsCount: 0,
      createdAt: new Date(), completedAt: null,
    };
    this.rows.push(row);
    this.findings.set(row.id, new Map());
    return { ...row };
  }
  async setTotalPairs(id: string, totalPairs: number): Promise<void> {
    this.rows.find((r) => r.id === id)!.totalPairs = totalPairs;
  }
  async recordBatch(id: string, findings: KeyedFinding[], checkpoint: number): Promise<void> {
    const map = this.findings.get(id)!;
    for (const { pairKey, finding } of findings) if (!map.has(pairKey)) map.set(pairKey, { ...finding, id: randomUUID(), pairKey });
    const row = this.rows.find((r) => r.id === id)!;
    row.checkpoint = Math.max(row.checkpoint, checkpoint);
    this.batches.push({ checkpoint, size: findings.length });
  }
  async markComplete(id: string): Promise<CompareResult | null> {
    const row = this.rows.find((r) => r.id === id && r.status === 'in_progress');
    if (!row) return null;
    Object.assign(row, { status: 'complete', completedAt: new Date(), findingsCount: this.findings.get(id)!.size });
    return { ...row };
  }
  async markUnusable(id: string): Promise<void> {
    const row = this.rows.find((r) => r.id === id && r.status === 'in_progress');
    if (row) row.status = 'unusable';
  }
  async findByRun(runId: string): Promise<CompareResult | null> {
    const row = this.rows.find((r) => r.runId === runId);
    return row ? { ...row } : null;
  }
  async findByRuns(runIds: string[]): Promise<Map<string, CompareResult>> {
    return new Map(this.rows.filter((r) => runIds.includes(r.runId)).map((r) => [r.runId, { ...r }]));
  }
  async findForProfile(profileId: string, id: string): Promise<CompareResult | null> {
    return this.rows.find((r) => r.profileId === profileId && r.id === id) ?? null;
  }
  async listFindings(q: FindingsQuery): Promise<StoredFinding[]> {
    return [...this.findings.get(q.compareResultId)!.values()].slice(0, q.limit);
  }
}

/** Every environment given items counts as synced at SYNCED_AT unless `syncedAt` says otherwise (null: never). */
export const SYNCED_AT = new Date('2026-11-22T11:02:00Z');

export class InMemoryCurrentInventory implements CurrentInventory {
  constructor(
    readonly byEnvironment: Record<string, InventoryRecord[]> = {},
    readonly syncedAt: Record<string, Date | null> = {},
  ) {}
  async list(environmentId: string, kinds: string[]): Promise<InventoryRecord[]> {
    return (this.byEnvironment[environmentId] ?? []).filter((r) => kinds.length === 0 || kinds.includes(r.kind));
  }
  async syncState(environmentId: string): Promise<InventorySyncState | null> {
    const known = environmentId in this.byEnvironment || environmentId in this.syncedAt;
    if (!known) return null;
    const syncedAt = environmentId in this.syncedAt ? this.syncedAt[environmentId] : SYNCED_AT;
    return { environmentName: `Env ${environmentId}`, syncedAt };
  }
}
