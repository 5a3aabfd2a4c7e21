import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { principalOf } from '../../../../shared/adapters/auth/principal';
import { SIGN_IN_REQUIRED_MESSAGE } from '../../../../shared/adapters/auth/session-auth.guard';
import { accessContext } from '../../core/access-context';
import { AccessControl } from '../../core/access-control';
import { AccessRequest } from './request-access';

/**
 * Runs after authentication (session or API token): reads the principal's grants once and puts
 * the immutable access context on the request, for `@CurrentAccess()`.
 */
@Injectable()
export class AccessContextGuard implements CanActivate {
  constructor(@Inject(AccessControl) private readonly access: AccessControl) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AccessRequest>();
    const principal = principalOf(req);
    if (!principal) throw new UnauthorizedException(SIGN_IN_REQUIRED_MESSAGE);
    req.access ??= accessContext(principal, await this.access.grantsOf(principal.userId));
    return true;
  }
}
