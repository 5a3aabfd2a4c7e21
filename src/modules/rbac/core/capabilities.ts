/**
 * The one registry of capabilities (SPEC 1). Code checks these, never role names; which role holds
 * which capability lives in config/roles.json.
 */
export const CAPABILITIES = {
  OPERATIONS_VIEW: 'operations.view',
  OPERATIONS_VIEW_DIAGNOSTICS: 'operations.view_diagnostics',
  /** Generic start permission for operation types without a more specific capability. */
  OPERATIONS_START: 'operations.start',
  /** Cancel a queued or running run (issue 17). */
  OPERATIONS_CANCEL: 'operations.cancel',
  /**
   * Act on many runs at once (bulk retry, start for several environments). Each run acted on is
   * still checked against its own capability, as if the user had acted on it alone.
   */
  OPERATIONS_BULK: 'operations.bulk',
  INVENTORY_SYNC: 'inventory.sync',
  BASELINES_MANAGE: 'baselines.manage',
  BASELINES_CAPTURE: 'baselines.capture',
  BASELINES_COMPARE: 'baselines.compare',
  REVIEWS_COMPOSE: 'reviews.compose',
  AUDIT_VIEW: 'audit.view',
  MEMBERS_MANAGE: 'members.manage',
  /** Rename the workspace (owners; its slug, and so every URL, stays). */
  WORKSPACE_MANAGE: 'workspace.manage',
  /** Create, rename, reconfigure, archive and restore a workspace's environments (issue 19). */
  ENVIRONMENTS_MANAGE: 'environments.manage',
} as const;

export type Capability = (typeof CAPABILITIES)[keyof typeof CAPABILITIES];

/** Every capability, in registry order. */
export const ALL_CAPABILITIES: readonly Capability[] = Object.values(CAPABILITIES);

export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && (ALL_CAPABILITIES as readonly string[]).includes(value);
}
