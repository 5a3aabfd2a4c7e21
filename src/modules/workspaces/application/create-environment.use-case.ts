import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT_CREATED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { grantFor } from '../../rbac/core/authorization-policy';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { environmentDisplayName, environmentSlug } from '../core/environment-slug';
import { ENVIRONMENT_ADMIN_REPOSITORY, EnvironmentAdminRepository } from '../core/ports/environment-admin.repository.port';
import { ProviderKindRegistry } from '../core/provider-kind';
import { WorkspacesErrors } from '../core/workspaces-errors';
import { EnvironmentView, toEnvironmentView } from './environment-admin-view';
import { environmentAuditBase } from './manageable-environment';

export interface CreateEnvironmentCommand {
  slug: unknown;
  display_name: unknown;
  provider: unknown;
}

/**
 * Adds an environment to a workspace. Needs environments.manage and a membership over every
 * environment: a member limited to some cannot widen what exists (403). Duplicate slug → 409.
 */
@Injectable()
export class CreateEnvironment {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_ADMIN_REPOSITORY) private readonly admin: EnvironmentAdminRepository,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, command: CreateEnvironmentCommand): Promise<EnvironmentView> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.ENVIRONMENTS_MANAGE });
    if (grantFor(ws.grants, ws.workspace.id)?.environmentIds !== 'all') throw RbacErrors.forbidden(CAPABILITIES.ENVIRONMENTS_MANAGE);
    const slug = environmentSlug(command.slug);
    const displayName = environmentDisplayName(command.display_name);
    const provider = this.providers.validate(command.provider);
    const id = await this.admin.create({ workspaceId: ws.workspace.id, slug, displayName, provider });
    if (!id) throw WorkspacesErrors.environmentSlugTaken(slug);
    const view = toEnvironmentView({ id, slug, displayName, archived: false }, provider, this.providers);
    await this.audit.record({
      ...environmentAuditBase(caller, ws, id),
      action: ENVIRONMENT_CREATED,
      metadata: { slug, display_name: displayName, provider: view.provider },
    });
    return view;
  }
}
