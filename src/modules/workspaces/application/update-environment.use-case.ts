import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT_UPDATED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { environmentDisplayName } from '../core/environment-slug';
import { ENVIRONMENT_ADMIN_REPOSITORY, EnvironmentAdminRepository } from '../core/ports/environment-admin.repository.port';
import { ProviderKindRegistry } from '../core/provider-kind';
import { EnvironmentView, toEnvironmentView } from './environment-admin-view';
import { environmentAuditBase, manageableEnvironment } from './manageable-environment';

export interface UpdateEnvironmentCommand {
  display_name?: unknown;
  provider?: unknown;
}

/** Renames an environment and/or changes its provider settings (validated by the kind). The slug never changes: URLs keep working. */
@Injectable()
export class UpdateEnvironment {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_ADMIN_REPOSITORY) private readonly admin: EnvironmentAdminRepository,
    @Inject(ProviderKindRegistry) private readonly providers: ProviderKindRegistry,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string, command: UpdateEnvironmentCommand): Promise<EnvironmentView> {
    const { ws, env } = await manageableEnvironment(this.access, caller, workspaceSlug, environmentSlug);
    const displayName = command.display_name === undefined ? undefined : environmentDisplayName(command.display_name);
    const provider = command.provider === undefined ? undefined : this.providers.validate(command.provider);
    if (displayName !== undefined || provider !== undefined) await this.admin.update(env.id, { displayName, provider });
    const stored = provider ?? (await this.admin.providersOf([env.id])).get(env.id);
    const view = toEnvironmentView({ ...env, displayName: displayName ?? env.displayName }, stored, this.providers);
    await this.audit.record({
      ...environmentAuditBase(caller, ws, env.id),
      action: ENVIRONMENT_UPDATED,
      metadata: {
        slug: env.slug,
        ...(displayName !== undefined ? { display_name: { from: env.displayName, to: displayName } } : {}),
        ...(provider !== undefined ? { provider: view.provider } : {}),
      },
    });
    return view;
  }
}
