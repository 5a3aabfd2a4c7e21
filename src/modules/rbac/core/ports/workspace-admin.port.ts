import { WorkspaceRef } from './tenancy-directory.port';

export const WORKSPACE_ADMIN = Symbol('WORKSPACE_ADMIN');

/** Writes to workspaces (creation by platform administrators, renames by owners). */
export interface WorkspaceAdmin {
  isPlatformAdmin(userId: string): Promise<boolean>;
  /** The workspace with `ownerUserId` as owner of all its environments, in one transaction; null when the slug is taken. */
  createWithOwner(slug: string, name: string, ownerUserId: string): Promise<WorkspaceRef | null>;
  /** Changes the name only (slug and URLs stay); members' grants versions move with it (trigger). */
  rename(workspaceId: string, name: string): Promise<WorkspaceRef>;
}
