import { Global, Module } from '@nestjs/common';
import { AuditRunObserver } from './adapters/audit-run-observer';
import { AuditApiController } from './adapters/http/audit-api.controller';
import { AuditApiService } from './adapters/http/audit-api.service';
import { AuditPagesController } from './adapters/http/audit-pages.controller';
import { MikroOrmAuditLog } from './adapters/persistence/mikro-orm-audit-log';
import { AUDIT_EVENT_QUERY } from './core/ports/audit-event-query.port';
import { AUDIT_LOG } from './core/ports/audit-log.port';

/**
 * The append-only audit log. Global: any module records through AUDIT_LOG, the operations module
 * adds AuditRunObserver to its run observers, readers use AUDIT_EVENT_QUERY.
 */
@Global()
@Module({
  controllers: [AuditApiController, AuditPagesController],
  providers: [
    MikroOrmAuditLog,
    { provide: AUDIT_LOG, useExisting: MikroOrmAuditLog },
    { provide: AUDIT_EVENT_QUERY, useExisting: MikroOrmAuditLog },
    AuditRunObserver,
    AuditApiService,
  ],
  exports: [AUDIT_LOG, AUDIT_EVENT_QUERY, AuditRunObserver],
})
export class AuditModule {}
