import { ApiProperty } from '@nestjs/swagger';
import { ProviderSettingsDoc } from './environments.requests';

/** One environment in API answers (controllers return the EnvironmentView read model as is). */
export class EnvironmentDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'contoso-hq' }) slug: string;
  @ApiProperty({ description: 'The display name' }) name: string;
  @ApiProperty({ description: 'Archived: history readable, no new runs (starts answer 409 environment_archived)' }) archived: boolean;
  @ApiProperty({ type: ProviderSettingsDoc, description: 'The inventory provider and its settings, never secrets' }) provider: ProviderSettingsDoc;
}

export class EnvironmentListDoc {
  @ApiProperty({ type: [EnvironmentDoc], description: 'Entitled environments by slug, archived ones included' }) items: EnvironmentDoc[];
}
