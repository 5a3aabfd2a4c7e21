/** Action names of the audit log. Writers use these constants, never string literals. */
export const OPERATION_START_REQUESTED = 'operation.start_requested';
export const OPERATION_START_DUPLICATE = 'operation.start_duplicate';
export const OPERATION_START_DENIED = 'operation.start_denied';
export const OPERATION_CANCEL_REQUESTED = 'operation.cancel_requested';
export const OPERATION_COMPLETED = 'operation.completed';
export const OPERATION_RECONCILED = 'operation.reconciled';
export const MEMBERSHIP_ADDED = 'membership.added';
export const MEMBERSHIP_ROLE_CHANGED = 'membership.role_changed';
export const MEMBERSHIP_REMOVED = 'membership.removed';
export const MEMBERSHIP_INVITED = 'membership.invited';
export const MEMBERSHIP_INVITATION_ACCEPTED = 'membership.invitation_accepted';
/** A pending invitation revoked by an operator, or replaced by a new invitation of the same email. */
export const MEMBERSHIP_INVITATION_REVOKED = 'membership.invitation_revoked';
export const TOKEN_CREATED = 'token.created';
export const TOKEN_REVOKED = 'token.revoked';
export const AUTH_LOGIN_FAILED = 'auth.login_failed';
export const BASELINE_CREATED = 'baseline.created';
export const BASELINE_UPDATED = 'baseline.updated';
export const AUTH_PASSWORD_CHANGED = 'auth.password_changed';
export const AUTH_PASSWORD_CHANGE_REFUSED = 'auth.password_change_refused';
export const FIRST_RUN_COMPLETED = 'first_run.completed';
export const WORKSPACE_CREATED = 'workspace.created';
export const WORKSPACE_RENAMED = 'workspace.renamed';
export const ENVIRONMENT_CREATED = 'environment.created';
export const ENVIRONMENT_UPDATED = 'environment.updated';
export const ENVIRONMENT_ARCHIVED = 'environment.archived';
export const ENVIRONMENT_RESTORED = 'environment.restored';
