import { Inject, Injectable, Optional } from '@nestjs/common';
import { WORKSPACE_CREATED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../core/access-context';
import { WorkspaceRef } from '../core/ports/tenancy-directory.port';
import { WORKSPACE_ADMIN, WorkspaceAdmin } from '../core/ports/workspace-admin.port';
import { RbacErrors } from '../core/rbac-errors';
import { assertValidWorkspaceName, assertValidWorkspaceSlug } from '../core/workspace-identity';

export interface CreateWorkspaceCommand {
  slug: string;
  name: string;
}

/**
 * A new workspace, created by a platform administrator (others: 403), who becomes its owner for
 * all environments. Slug taken: `workspace_slug_taken` (409). Audited with the actor.
 */
@Injectable()
export class CreateWorkspace {
  constructor(
    @Inject(WORKSPACE_ADMIN) private readonly workspaces: WorkspaceAdmin,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, command: CreateWorkspaceCommand): Promise<WorkspaceRef> {
    if (!(await this.workspaces.isPlatformAdmin(caller.userId))) throw RbacErrors.notPlatformAdmin();
    const slug = assertValidWorkspaceSlug(command.slug);
    const name = assertValidWorkspaceName(command.name);
    const created = await this.workspaces.createWithOwner(slug, name, caller.userId);
    if (!created) throw RbacErrors.workspaceSlugTaken(slug);
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: created.id,
      action: WORKSPACE_CREATED,
      subjectType: 'workspace',
      subjectId: created.id,
      metadata: { slug: created.slug, name: created.name },
    });
    return created;
  }
}
