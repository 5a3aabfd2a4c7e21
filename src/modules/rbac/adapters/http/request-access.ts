import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { Request } from 'express';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { AccessContext } from '../../core/access-context';
import { MembershipGrant } from '../../core/authorization-policy';

/** What an authenticated route gets: the signed-in principal with its grants, resolved once. */
export type RequestAccess = Readonly<Principal> & AccessContext;

export type AccessRequest = Request & {
  access?: RequestAccess;
  /** Grants the authentication step read with the credential (session or token), if it could. */
  credentialGrants?: readonly MembershipGrant[];
};

/**
 * The request's access context, put there by `AccessContextGuard` (see `Authenticated` /
 * `ApiAuthenticated`). A route without that guard asking for it is a wiring bug, not a 401.
 */
export const CurrentAccess = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestAccess => {
  const access = ctx.switchToHttp().getRequest<AccessRequest>().access;
  if (!access) throw new InternalServerErrorException('CurrentAccess used on a route without AccessContextGuard.');
  return access;
});
