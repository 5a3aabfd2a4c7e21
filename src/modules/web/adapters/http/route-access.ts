/**
 * The route frame every feature module's controllers use: who is asking, resolved once per
 * request. The guards and the access context are rbac's; feature modules reach them only through
 * here (scripts/check-layers.js: web is the one HTTP frame other modules may import).
 */
export { ApiAuthenticated, Authenticated } from '../../../rbac/adapters/http/authenticated.decorator';
export { CurrentAccess } from '../../../rbac/adapters/http/request-access';
export type { RequestAccess } from '../../../rbac/adapters/http/request-access';
