import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { ENVIRONMENT_ADMIN_REPOSITORY, EnvironmentAdminRepository } from '../core/ports/environment-admin.repository.port';
import { ProviderKindRegistry } from '../core/provider-kind';
import { EnvironmentView, toEnvironmentView } from './environment-admin-view';

/**
 * The environments of a workspace the caller is entitled to, archived ones included, each with
 * its provider's public settings. Not a member → the same 404 as an unknown slug.
 */
@Injectable()
export class ListEnvironments {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(ENVIRONMENT_ADMIN_REPOSITORY) private readonly admin: EnvironmentAdminRepository,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<EnvironmentView[]> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const environments = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const providers = environments.length ? await this.admin.providersOf(environments.map((e) => e.id)) : new Map();
    return environments.map((e) => toEnvironmentView(e, providers.get(e.id), this.providers));
  }
}
