import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUDIT_LOG, AuditEventInput, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';

/** Records a profile change; the audit trail must not turn a stored change into a 500. */
@Injectable()
export class BaselineProfileAudit {
  private readonly logger = new Logger(BaselineProfileAudit.name);

  constructor(@Inject(AUDIT_LOG) private readonly audit: AuditLog) {}

  async record(event: AuditEventInput): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error(`Could not record audit event ${event.action}: ${(error as Error)?.message ?? error}`);
    }
  }
}
