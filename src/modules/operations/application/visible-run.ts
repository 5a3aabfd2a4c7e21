import { AuditEventInput, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { ListedRun, RunListQuery } from '../core/ports/run-list-query.port';

/**
 * The run `id` names, if the caller may see it: unknown, malformed and out-of-scope ids all answer
 * the same 404 (deny-as-not-found). Every use case that acts on one run by id starts here.
 */
export async function findVisibleRun(
  access: AccessControl,
  runList: RunListQuery,
  caller: AccessContext,
  id: string,
): Promise<ListedRun> {
  if (!isUuid(id)) throw RbacErrors.notFound();
  const listed = await runList.findOne(id.toLowerCase());
  if (!listed) throw RbacErrors.notFound();
  access.require(caller.grants, {
    workspaceId: listed.run.workspaceId,
    environmentId: listed.run.environmentId,
    capability: CAPABILITIES.OPERATIONS_VIEW,
  });
  return listed;
}

/** Records an audit event of an action that already happened: a refusing audit log must not turn it into a 500. */
export async function recordAfterTheFact(
  audit: AuditLog,
  logger: { error(message: string): void },
  event: AuditEventInput,
): Promise<void> {
  try {
    await audit.record(event);
  } catch (error) {
    logger.error(`Could not record audit event ${event.action}: ${(error as Error)?.message ?? error}`);
  }
}
