import { Inject, Injectable, Logger } from '@nestjs/common';
import { OperationRun } from '../../operations/core/operation-run';
import { RunLifecycleObserver } from '../../operations/core/ports/run-lifecycle-observer.port';
import { auditEventForCompletedRun } from '../core/run-audit';
import { AUDIT_LOG, AuditLog } from '../core/ports/audit-log.port';

/**
 * Audits every completed run (terminal transitions and reconciliations). A failed audit write is
 * logged and swallowed: the audit log must never undo or block run truth.
 */
@Injectable()
export class AuditRunObserver implements RunLifecycleObserver {
  private readonly logger = new Logger(AuditRunObserver.name);

  constructor(@Inject(AUDIT_LOG) private readonly audit: AuditLog) {}

  async onCompleted(run: OperationRun): Promise<void> {
    try {
      await this.audit.record(auditEventForCompletedRun(run));
    } catch (error) {
      this.logger.error(`Could not audit the completion of run ${run.id}: ${describe(error)}`);
    }
  }

  async onCompletedMany(runs: OperationRun[]): Promise<void> {
    try {
      await this.audit.recordMany(runs.map(auditEventForCompletedRun));
    } catch (error) {
      this.logger.error(`Could not audit the completion of ${runs.length} runs: ${describe(error)}`);
    }
  }
}

/** The driver's own reason, without the SQL statement and bound values the ORM prefixes it with. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const separator = error.message.lastIndexOf(' - ');
  return separator >= 0 ? error.message.slice(separator + 3) : error.message;
}
