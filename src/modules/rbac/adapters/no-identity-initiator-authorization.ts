import { Injectable } from '@nestjs/common';
import { InitiatorAuthorization } from '../../operations/core/ports/initiator-authorization.port';

/**
 * Until memberships exist nobody can be verified, so a user-initiated run is never allowed to
 * do work unverified. Replaced by the membership-based check of the RBAC work.
 */
@Injectable()
export class NoIdentityInitiatorAuthorization implements InitiatorAuthorization {
  async isStillAuthorized(): Promise<boolean> {
    return false;
  }
}
