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
      await retryOnLostConnection(() => this.audit.record(auditEventForCompletedRun(run)));
    } catch (error) {
      this.logger.error(`Could not audit the completion of run ${run.id}: ${describe(error)}`);
    }
  }

  async onCompletedMany(runs: OperationRun[]): Promise<void> {
    try {
      await retryOnLostConnection(() => this.audit.recordMany(runs.map(auditEventForCompletedRun)));
    } catch (error) {
      this.logger.error(`Could not audit the completion of ${runs.length} runs: ${describe(error)}`);
    }
  }
}

/** Delays before the 2nd and 3rd try of an audit write whose connection died. */
const LOST_CONNECTION_RETRY_MS = [50, 200];
const LOST_CONNECTION =
  /connection terminated|connection ended|terminating connection|ECONNRESET|ECONNREFUSED|EPIPE|server closed the connection/i;

/**
 * The run's transition is already committed when its audit event is written; a pooled connection
 * that died meanwhile (database restart, failover, pg_terminate_backend) would otherwise lose the
 * event for good. Such a write never reached the database, so trying again on a fresh connection
 * cannot double it. Any other error is not retried.
 */
async function retryOnLostConnection(write: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= LOST_CONNECTION_RETRY_MS.length || !isLostConnection(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOST_CONNECTION_RETRY_MS[attempt]));
    }
  }
}

function isLostConnection(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  return /^(08|57P0)/.test(code) || (error instanceof Error && LOST_CONNECTION.test(error.message));
}

/** The driver's own reason, without the SQL statement and bound values the ORM prefixes it with. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const separator = error.message.lastIndexOf(' - ');
  return separator >= 0 ? error.message.slice(separator + 3) : error.message;
}
