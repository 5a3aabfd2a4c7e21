import { ScopeFilter } from '../../../rbac/core/authorization-policy';

export const WORKSPACE_FACTS = Symbol('WORKSPACE_FACTS');

/** Last successful inventory sync and latest completed compare of one environment. */
export interface EnvironmentHealthFacts {
  environmentId: string;
  lastSyncAt: Date | null;
  latestCompare: { id: string; findingsCount: number; completedAt: Date | null; profileName: string } | null;
}

export interface LatestCompare {
  id: string;
  profileId: string;
  profileName: string;
  completedAt: Date | null;
  findingsCount: number;
  /** Findings per type, e.g. { setting_differs: 2 }. */
  byType: Record<string, number>;
}

export interface LatestReview {
  id: string;
  periodLabel: string;
  status: string;
  createdAt: Date;
  readyAt: Date | null;
}

export interface StartableProfile {
  id: string;
  name: string;
  sourceEnvironmentId: string;
  hasCompleteSnapshot: boolean;
}

/**
 * Read-only facts of a workspace's environments beside their runs (inventory syncs, compares,
 * reviews, startable baseline profiles). Compare results and profiles count only when their
 * profile's source environment is in the reader's scope, exactly as the baselines API shows them.
 */
export interface WorkspaceFacts {
  environmentHealth(workspaceId: string, environmentIds: string[], scope: ScopeFilter, syncTypes: string[]): Promise<Map<string, EnvironmentHealthFacts>>;
  latestCompare(workspaceId: string, environmentId: string, scope: ScopeFilter): Promise<LatestCompare | null>;
  latestReview(environmentId: string): Promise<LatestReview | null>;
  profiles(workspaceId: string, scope: ScopeFilter): Promise<StartableProfile[]>;
}
