import { applyDecorators, UseGuards } from '@nestjs/common';
import { SessionAuthGuard } from '../../../../shared/adapters/auth/session-auth.guard';
import { AccessContextGuard } from './access-context.guard';
import { ApiTokenGuard } from './api-token.guard';

/** A page route: a signed-in session (else /login), then the caller's access resolved once. */
export const Authenticated = () => applyDecorators(UseGuards(SessionAuthGuard, AccessContextGuard));

/** An /api/v1 route: a bearer token (else 401), then the caller's access resolved once. */
export const ApiAuthenticated = () => applyDecorators(UseGuards(ApiTokenGuard, AccessContextGuard));
