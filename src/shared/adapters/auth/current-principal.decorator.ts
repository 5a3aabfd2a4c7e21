import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Principal, principalOf } from './principal';

/**
 * The request's signed-in user, or null. Pair it with `SessionAuthGuard` (or the API guard)
 * when the route requires one: `handler(@CurrentPrincipal() principal: Principal)`.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | null => principalOf(ctx.switchToHttp().getRequest<Request>()),
);
