import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';
import { AddMemberCommand } from '../../application/add-member.use-case';
import { ChangeMemberCommand } from '../../application/change-member.use-case';
import { EnvironmentsView } from '../../application/member-views';
import { ROLES } from '../../core/roles';
import { MAX_EMAIL_LENGTH } from '../../core/user-identity';

const ENVIRONMENTS_MESSAGE = 'environments must be "all" or a list of 1 to 200 environment slugs';

/** `"all"`, or a non-empty array of at most 200 slug strings. */
function IsEnvironmentScope(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEnvironmentScope',
      validator: {
        validate: (value: unknown) =>
          value === 'all' ||
          (Array.isArray(value) && value.length > 0 && value.length <= 200 && value.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100)),
        defaultMessage: () => ENVIRONMENTS_MESSAGE,
      },
    },
    options,
  );
}

const ENVIRONMENTS_DOC = {
  description: '"all" (every environment, also when left out on add), or the slugs of the environments the membership is limited to',
  oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
  example: ['contoso-hq', 'fabrikam'],
};

/** Body of POST /api/v1/workspaces/:workspace/members. */
export class AddMemberRequest implements AddMemberCommand {
  @ApiProperty({ description: 'An existing user is added; any other email gets a one-time invitation link', example: 'ada@example.com', maxLength: MAX_EMAIL_LENGTH })
  @IsString({ message: 'email must be a string' })
  @MaxLength(MAX_EMAIL_LENGTH, { message: `email must be at most ${MAX_EMAIL_LENGTH} characters long` })
  email: string;

  @ApiProperty({ enum: ROLES, description: 'At most your own role' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role: string;

  @ApiPropertyOptional(ENVIRONMENTS_DOC)
  @IsOptional()
  @IsEnvironmentScope()
  environments?: EnvironmentsView;
}

/** Body of PATCH /api/v1/workspaces/:workspace/members/:user: a left-out field stays as it is. */
export class ChangeMemberRequest implements ChangeMemberCommand {
  @ApiPropertyOptional({ enum: ROLES, description: 'At most your own role' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: string;

  @ApiPropertyOptional(ENVIRONMENTS_DOC)
  @IsOptional()
  @IsEnvironmentScope()
  environments?: EnvironmentsView;
}
