import { Inject, Injectable, Optional } from '@nestjs/common';
import { WORKSPACE_RENAMED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { CAPABILITIES } from '../core/capabilities';
import { WorkspaceRef } from '../core/ports/tenancy-directory.port';
import { WORKSPACE_ADMIN, WorkspaceAdmin } from '../core/ports/workspace-admin.port';
import { assertValidWorkspaceName } from '../core/workspace-identity';

/**
 * Renames a workspace (`workspace.manage`: owners). Unknown or not a member: 404; a member without
 * the capability: 403. The slug, and so every URL, stays; members see the new name on their next
 * request (the rename moves their grants version).
 */
@Injectable()
export class RenameWorkspace {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(WORKSPACE_ADMIN) private readonly workspaces: WorkspaceAdmin,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, command: { name: string }): Promise<WorkspaceRef> {
    const { workspace, grants } = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(grants, { workspaceId: workspace.id, capability: CAPABILITIES.WORKSPACE_MANAGE });
    const name = assertValidWorkspaceName(command.name);
    if (name === workspace.name) return workspace;
    const renamed = await this.workspaces.rename(workspace.id, name);
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: workspace.id,
      action: WORKSPACE_RENAMED,
      subjectType: 'workspace',
      subjectId: workspace.id,
      metadata: { slug: workspace.slug, name, previous_name: workspace.name },
    });
    return renamed;
  }
}
