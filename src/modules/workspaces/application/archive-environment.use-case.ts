import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT_ARCHIVED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { ENVIRONMENT_ADMIN_REPOSITORY, EnvironmentAdminRepository } from '../core/ports/environment-admin.repository.port';
import { ProviderKindRegistry } from '../core/provider-kind';
import { EnvironmentView, toEnvironmentView } from './environment-admin-view';
import { environmentAuditBase, manageableEnvironment } from './manageable-environment';

/**
 * Archives an environment: its runs, reviews and pages stay readable, and it accepts no new runs
 * (StartOperation answers environment_archived). Archiving an archived environment changes nothing.
 */
@Injectable()
export class ArchiveEnvironment {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_ADMIN_REPOSITORY) private readonly admin: EnvironmentAdminRepository,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string): Promise<EnvironmentView> {
    const { ws, env } = await manageableEnvironment(this.access, caller, workspaceSlug, environmentSlug);
    if (!env.archived) await this.admin.setArchivedAt(env.id, this.clock.now());
    await this.audit.record({
      ...environmentAuditBase(caller, ws, env.id),
      action: ENVIRONMENT_ARCHIVED,
      metadata: { slug: env.slug, changed: !env.archived },
    });
    const provider = (await this.admin.providersOf([env.id])).get(env.id);
    return toEnvironmentView({ ...env, archived: true }, provider, this.providers);
  }
}
