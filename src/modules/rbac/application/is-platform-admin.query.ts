import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../core/access-context';
import { WORKSPACE_ADMIN, WorkspaceAdmin } from '../core/ports/workspace-admin.port';

/** Whether the caller is a platform administrator (may create workspaces); read fresh, never cached. */
@Injectable()
export class IsPlatformAdmin {
  constructor(@Inject(WORKSPACE_ADMIN) private readonly workspaces: WorkspaceAdmin) {}

  execute(caller: Pick<AccessContext, 'userId'>): Promise<boolean> {
    return this.workspaces.isPlatformAdmin(caller.userId);
  }
}
