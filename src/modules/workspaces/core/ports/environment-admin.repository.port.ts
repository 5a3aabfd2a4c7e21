import { ProviderSettings } from '../provider-kind';

export const ENVIRONMENT_ADMIN_REPOSITORY = Symbol('ENVIRONMENT_ADMIN_REPOSITORY');

export interface NewEnvironment {
  workspaceId: string;
  slug: string;
  displayName: string;
  provider: ProviderSettings;
}

/** Writes to a workspace's managed environments, and the provider settings the listing does not carry. */
export interface EnvironmentAdminRepository {
  /** The new environment's id, or null when the workspace already has that slug. */
  create(environment: NewEnvironment): Promise<string | null>;
  update(environmentId: string, change: { displayName?: string; provider?: ProviderSettings }): Promise<void>;
  /** `at` null restores. */
  setArchivedAt(environmentId: string, at: Date | null): Promise<void>;
  /** Stored provider settings by environment id. */
  providersOf(environmentIds: string[]): Promise<Map<string, ProviderSettings>>;
}
