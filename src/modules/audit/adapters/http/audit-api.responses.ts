import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the audit API (documentation only; snake_case like the rest of /api/v1). */
class AuditActorDoc {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for the system and anonymous callers' })
  id: string | null;
  @ApiProperty({ example: 'system' }) label: string;
}

class AuditScopeRefDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

class AuditSubjectDoc {
  @ApiProperty({ nullable: true, type: String, example: 'operation_run' }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class AuditEventDoc {
  @ApiProperty({ format: 'uuid', description: 'Opaque, random event id: says nothing about order or about other events' })
  id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: AuditActorDoc }) actor: AuditActorDoc;
  @ApiProperty({ type: AuditScopeRefDoc }) workspace: AuditScopeRefDoc;
  @ApiProperty({ type: AuditScopeRefDoc, nullable: true, description: 'Null for workspace-level events' })
  environment: AuditScopeRefDoc | null;
  @ApiProperty({ example: 'operation.completed' }) action: string;
  @ApiProperty({ type: AuditSubjectDoc }) subject: AuditSubjectDoc;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'inventory.sync', outcome: 'succeeded' } })
  metadata: Record<string, unknown>;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventDoc] }) items: AuditEventDoc[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
