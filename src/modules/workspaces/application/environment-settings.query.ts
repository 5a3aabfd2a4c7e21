import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { grantFor } from '../../rbac/core/authorization-policy';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { ProviderKindRegistry } from '../core/provider-kind';
import { EnvironmentView } from './environment-admin-view';
import { ListEnvironments } from './list-environments.query';

export interface EnvironmentSettings {
  ws: WorkspaceAccess;
  environments: EnvironmentView[];
  /** Only members over every environment create environments. */
  canCreate: boolean;
  providerKinds: string[];
}

/** The workspace settings page's environments: environments.manage required (403), outsiders 404. */
@Injectable()
export class GetEnvironmentSettings {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ListEnvironments) private readonly list: ListEnvironments,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<EnvironmentSettings> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.ENVIRONMENTS_MANAGE });
    return {
      ws,
      environments: await this.list.execute(caller, workspaceSlug),
      canCreate: grantFor(ws.grants, ws.workspace.id)?.environmentIds === 'all',
      providerKinds: this.providers.kinds(),
    };
  }
}
