import { ScopeFilter } from '../authorization-policy';
import { EnvironmentRef } from './tenancy-directory.port';

export const ENVIRONMENT_LISTING = Symbol('ENVIRONMENT_LISTING');

/** The environments of a workspace that a scope covers, sorted by slug. */
export interface EnvironmentListing {
  listEnvironments(workspaceId: string, scope: ScopeFilter): Promise<EnvironmentRef[]>;
}
