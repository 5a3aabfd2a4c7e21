import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';

/**
 * The environment an update, archive or restore acts on: unknown or out of scope → not_found
 * (404, identical), in scope without environments.manage → forbidden (403).
 */
export async function manageableEnvironment(
  access: AccessControl,
  caller: AccessContext,
  workspaceSlug: string,
  environmentSlug: string,
): Promise<{ ws: WorkspaceAccess; env: EnvironmentRef }> {
  const ws = await access.workspaceOf(caller, workspaceSlug);
  const env = await access.environment(ws, environmentSlug);
  access.require(ws.grants, { workspaceId: ws.workspace.id, environmentId: env.id, capability: CAPABILITIES.ENVIRONMENTS_MANAGE });
  return { ws, env };
}

/** Who acted, where, on what: the part of an environment audit event every action shares. */
export function environmentAuditBase(caller: AccessContext, ws: WorkspaceAccess, environmentId: string) {
  return {
    actorUserId: caller.userId,
    actorLabel: caller.email,
    workspaceId: ws.workspace.id,
    environmentId,
    subjectType: 'environment',
    subjectId: environmentId,
  };
}
