import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { EnvironmentRef } from '../core/ports/tenancy-directory.port';

/** The environments of one workspace the caller is entitled to; not a member → the same 404 as an unknown slug. */
@Injectable()
export class ListMemberEnvironments {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<EnvironmentRef[]> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    return this.environments.listEnvironments(ws.workspace.id, ws.scope);
  }
}
