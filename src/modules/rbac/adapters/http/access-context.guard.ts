import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { principalOf } from '../../../../shared/adapters/auth/principal';
import { SIGN_IN_REQUIRED_MESSAGE } from '../../../../shared/adapters/auth/session-auth.guard';
import { accessContext } from '../../core/access-context';
import { AccessControl } from '../../core/access-control';
import { AccessRequest } from './request-access';

/**
 * Runs after authentication (session or API token): puts the principal's grants — read with the
 * credential, or read here once — on the request as the immutable access context, for
 * `@CurrentAccess()`. Nothing else in the request reads grants again.
 */
@Injectable()
export class AccessContextGuard implements CanActivate {
  constructor(@Inject(AccessControl) private readonly access: AccessControl) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AccessRequest>();
    const principal = principalOf(req);
    if (!principal) throw new UnauthorizedException(SIGN_IN_REQUIRED_MESSAGE);
    req.access ??= accessContext(principal, req.credentialGrants ?? (await this.access.grantsOf(principal.userId)));
    return true;
  }
}
