import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TOKEN_NAME_LENGTH } from '../../../rbac/core/api-token';

/** The lifetimes the account page offers (days); '' is "never expires". */
export const TOKEN_LIFETIME_OPTIONS = ['', '7', '30', '90', '365'] as const;

/**
 * The account page's change-password form (`_csrf` is taken out by the CSRF plumbing). The field's
 * first failing rule is the one shown, in the order class-validator reports them (bottom up): a
 * missing value is reported as missing.
 */
export class ChangePasswordForm {
  @MaxLength(1024, { message: 'That is not your current password.' })
  @IsString({ message: 'Enter your current password.' })
  @IsNotEmpty({ message: 'Enter your current password.' })
  current_password: string;

  @MaxLength(1024, { message: 'Passwords can be at most 72 bytes long.' })
  @IsString({ message: 'Enter a new password.' })
  @IsNotEmpty({ message: 'Enter a new password.' })
  new_password: string;

  @MaxLength(1024, { message: 'The two new passwords do not match.' })
  @IsString({ message: 'Enter the new password again.' })
  @IsNotEmpty({ message: 'Enter the new password again.' })
  confirm_password: string;
}

/** The account page's create-token form. */
export class CreateTokenForm {
  @MaxLength(MAX_TOKEN_NAME_LENGTH, { message: `Token names can be at most ${MAX_TOKEN_NAME_LENGTH} characters long.` })
  @IsString({ message: 'Give the token a name.' })
  @IsNotEmpty({ message: 'Give the token a name.' })
  name: string;

  @IsOptional()
  @IsIn(TOKEN_LIFETIME_OPTIONS, { message: 'Choose a lifetime from the list.' })
  expires_in_days?: string;
}
