export const TENANCY_DIRECTORY = Symbol('TENANCY_DIRECTORY');

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

export interface EnvironmentRef {
  id: string;
  workspaceId: string;
  slug: string;
  displayName: string;
  /** Archived: its history stays readable, it takes no new runs (read where a caller needs it; absent = not read). */
  archived?: boolean;
}

/** Read access to workspaces and managed environments, by slug or id. */
export interface TenancyDirectory {
  findWorkspaceBySlug(slug: string): Promise<WorkspaceRef | null>;
  findEnvironmentBySlug(workspaceId: string, slug: string): Promise<EnvironmentRef | null>;
  findWorkspacesByIds(ids: string[]): Promise<WorkspaceRef[]>;
  findEnvironmentsByIds(ids: string[]): Promise<EnvironmentRef[]>;
}
