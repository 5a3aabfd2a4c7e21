import { Global, Module } from '@nestjs/common';
import { AuditApiController } from './adapters/http/audit-api.controller';
import { AuditPagesController } from './adapters/http/audit-pages.controller';
import { ListAuditEvents } from './application/list-audit-events.query';
import { MikroOrmAuditLog } from './adapters/persistence/mikro-orm-audit-log';
import { AUDIT_EVENT_QUERY } from './core/ports/audit-event-query.port';
import { AUDIT_LOG } from '../../shared/core/audit-trail/audit-log.port';
import { RunCompletionAuditor } from './core/run-completion-auditor';
import { COMPLETION_AUDIT } from '../operations/core/ports/completion-audit.port';

/**
 * The append-only audit log. Global: any module records through AUDIT_LOG, the operations module
 * writes each terminal transition's COMPLETION_AUDIT event with the transition itself, readers
 * use AUDIT_EVENT_QUERY.
 */
@Global()
@Module({
  controllers: [AuditApiController, AuditPagesController],
  providers: [
    MikroOrmAuditLog,
    { provide: AUDIT_LOG, useExisting: MikroOrmAuditLog },
    { provide: AUDIT_EVENT_QUERY, useExisting: MikroOrmAuditLog },
    { provide: COMPLETION_AUDIT, useFactory: () => new RunCompletionAuditor() },
    ListAuditEvents,
  ],
  exports: [AUDIT_LOG, AUDIT_EVENT_QUERY, COMPLETION_AUDIT],
})
export class AuditModule {}
