import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT_RESTORED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { ENVIRONMENT_ADMIN_REPOSITORY, EnvironmentAdminRepository } from '../core/ports/environment-admin.repository.port';
import { ProviderKindRegistry } from '../core/provider-kind';
import { EnvironmentView, toEnvironmentView } from './environment-admin-view';
import { environmentAuditBase, manageableEnvironment } from './manageable-environment';

/** Restores an archived environment: it accepts runs again. Restoring an active environment changes nothing. */
@Injectable()
export class RestoreEnvironment {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_ADMIN_REPOSITORY) private readonly admin: EnvironmentAdminRepository,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string): Promise<EnvironmentView> {
    const { ws, env } = await manageableEnvironment(this.access, caller, workspaceSlug, environmentSlug);
    if (env.archived) await this.admin.setArchivedAt(env.id, null);
    await this.audit.record({
      ...environmentAuditBase(caller, ws, env.id),
      action: ENVIRONMENT_RESTORED,
      metadata: { slug: env.slug, changed: env.archived === true },
    });
    const provider = (await this.admin.providersOf([env.id])).get(env.id);
    return toEnvironmentView({ ...env, archived: false }, provider, this.providers);
  }
}
