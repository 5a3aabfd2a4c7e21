import { Allow, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES } from '../../../rbac/core/roles';
import { MAX_EMAIL_LENGTH } from '../../../rbac/core/user-identity';

export const SCOPES = ['all', 'chosen'] as const;

/** The members page's invite form. `environments` (ticked boxes: one string or several) is read by the controller. */
export class InviteMemberForm {
  @MaxLength(MAX_EMAIL_LENGTH, { message: `Emails can be at most ${MAX_EMAIL_LENGTH} characters long.` })
  @IsString({ message: 'Enter an email address.' })
  @IsNotEmpty({ message: 'Enter an email address.' })
  email: string;

  @IsIn(ROLES, { message: 'Choose a role from the list.' })
  role: string;

  @IsIn(SCOPES, { message: 'Choose all environments or some.' })
  scope: string;

  @IsOptional()
  @Allow()
  environments?: unknown;
}

/** A member row's change form. */
export class ChangeMemberForm {
  @IsIn(ROLES, { message: 'Choose a role from the list.' })
  role: string;

  @IsIn(SCOPES, { message: 'Choose all environments or some.' })
  scope: string;

  @IsOptional()
  @Allow()
  environments?: unknown;
}
