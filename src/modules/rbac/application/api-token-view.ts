import { isTokenExpired } from '../core/api-token';
import { ApiTokenSummary } from '../core/ports/api-token.repository.port';

/** A personal API token as the account page and `GET /api/v1/me/tokens` show it: never the secret or its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** Null: never expires. */
  expires_at: string | null;
  /** True from the expiry instant on: the token no longer authenticates anything. */
  expired: boolean;
}

export function toApiTokenView(token: ApiTokenSummary, now: Date): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    created_at: token.createdAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    expires_at: token.expiresAt?.toISOString() ?? null,
    expired: isTokenExpired(token.expiresAt, now),
  };
}
