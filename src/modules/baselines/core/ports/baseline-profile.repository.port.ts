export const BASELINE_PROFILE_REPOSITORY = Symbol('BASELINE_PROFILE_REPOSITORY');

/** A baseline profile: which environment is the reference and which policy kinds count. */
export interface BaselineProfile {
  id: string;
  workspaceId: string;
  name: string;
  sourceEnvironmentId: string;
  /** Empty means every kind. */
  policyKinds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewBaselineProfile {
  workspaceId: string;
  name: string;
  sourceEnvironmentId: string;
  policyKinds: string[];
}

/** The editable fields of a profile; left-out fields keep their value. The source never changes. */
export interface BaselineProfileChanges {
  name?: string;
  policyKinds?: string[];
}

export interface BaselineProfileRepository {
  /** Throws DomainError conflict `baseline_name_taken` when the source already has that name (case-insensitive). */
  create(profile: NewBaselineProfile): Promise<BaselineProfile>;
  /** Creates the profile unless its source has one with that name; returns the stored one either way. */
  ensure(profile: NewBaselineProfile): Promise<BaselineProfile>;
  /**
   * Applies the changes and bumps updated_at; null when the profile is not in the workspace.
   * Throws DomainError conflict `baseline_name_taken` when another profile of the same source has that
   * name (case-insensitive). Names are unique per source environment, never per workspace: a
   * workspace-wide rule would answer 409 for a name that exists only on a source the caller cannot see.
   */
  update(workspaceId: string, id: string, changes: BaselineProfileChanges): Promise<BaselineProfile | null>;
  /** Null for an unknown id, a malformed id, or a profile of another workspace. */
  findInWorkspace(workspaceId: string, id: string): Promise<BaselineProfile | null>;
  /** Profiles of a workspace by name; `sourceEnvironmentIds` narrows to those sources when given. */
  listByWorkspace(workspaceId: string, sourceEnvironmentIds?: string[]): Promise<BaselineProfile[]>;
}
