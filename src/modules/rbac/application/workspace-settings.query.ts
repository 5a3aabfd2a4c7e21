import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../core/access-context';
import { AccessControl, WorkspaceAccess } from '../core/access-control';
import { CAPABILITIES } from '../core/capabilities';

/** The workspace's settings, for those who may change them (`workspace.manage`): else 404 outside, 403 inside. */
@Injectable()
export class GetWorkspaceSettings {
  constructor(@Inject(AccessControl) private readonly access: AccessControl) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<WorkspaceAccess> {
    const access = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(access.grants, { workspaceId: access.workspace.id, capability: CAPABILITIES.WORKSPACE_MANAGE });
    return access;
  }
}
