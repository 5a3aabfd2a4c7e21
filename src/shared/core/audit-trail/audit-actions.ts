/** Action names of the audit log. Writers use these constants, never string literals. */
export const OPERATION_START_REQUESTED = 'operation.start_requested';
export const OPERATION_START_DUPLICATE = 'operation.start_duplicate';
export const OPERATION_START_DENIED = 'operation.start_denied';
export const OPERATION_CANCEL_REQUESTED = 'operation.cancel_requested';
export const OPERATION_COMPLETED = 'operation.completed';
export const OPERATION_RECONCILED = 'operation.reconciled';
export const MEMBERSHIP_ADDED = 'membership.added';
export const MEMBERSHIP_ROLE_CHANGED = 'membership.role_changed';
export const TOKEN_CREATED = 'token.created';
export const TOKEN_REVOKED = 'token.revoked';
export const AUTH_LOGIN_FAILED = 'auth.login_failed';
export const BASELINE_CREATED = 'baseline.created';
export const BASELINE_UPDATED = 'baseline.updated';
export const AUTH_PASSWORD_CHANGED = 'auth.password_changed';
export const AUTH_PASSWORD_CHANGE_REFUSED = 'auth.password_change_refused';
