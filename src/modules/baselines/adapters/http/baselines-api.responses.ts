import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_JSON_VALUE } from '../../../../shared/adapters/http/json-value.schema';
import { FINDING_TYPES } from '../../core/drift';

/**
 * OpenAPI shapes of the baselines API. Documentation only: the controller returns the read models
 * of application/baseline-read-models.ts, and these classes mirror them (the e2e contract check
 * holds them equal).
 */
class EnvironmentRefDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'contoso-hq' }) slug: string;
  @ApiProperty() name: string;
}

export class BaselineDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Contoso security baseline' }) name: string;
  @ApiProperty({ type: EnvironmentRefDoc, nullable: true, description: 'Null only if the source environment was removed' })
  source_environment: EnvironmentRefDoc | null;
  @ApiProperty({ type: [String], description: 'Policy kinds that count; empty means every kind' }) policy_kinds: string[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class BaselineListDoc {
  @ApiProperty({ type: [BaselineDoc] }) items: BaselineDoc[];
}

class SnapshotDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The baseline.capture run that took it' }) run_id: string;
  @ApiProperty({ enum: ['capturing', 'complete', 'unusable'] }) status: string;
  @ApiProperty() item_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completed_at: string | null;
}

export class BaselineDetailDoc extends BaselineDoc {
  @ApiProperty({ type: [SnapshotDoc], description: 'Newest first' }) snapshots: SnapshotDoc[];
}

class SettingChangeDoc {
  @ApiProperty({ example: 'settings.passwordMinimumLength' }) path: string;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'The baseline value (secrets masked); absent when the baseline lacks the setting' })
  before?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'The target value (secrets masked); absent when the target lacks the setting' })
  after?: unknown;
}

class FindingDoc {
  @ApiProperty() id: string;
  @ApiProperty({ enum: FINDING_TYPES }) type: string;
  @ApiProperty({ example: 'deviceConfiguration' }) kind: string;
  @ApiProperty() external_id: string;
  @ApiProperty() display_name: string;
  @ApiPropertyOptional({ type: [SettingChangeDoc], description: 'setting_differs only' }) changes?: SettingChangeDoc[];
}

export class FindingListDoc {
  @ApiProperty({ type: [FindingDoc] }) items: FindingDoc[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
