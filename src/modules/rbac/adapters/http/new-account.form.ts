import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_DISPLAY_NAME_LENGTH } from '../../core/user-identity';

/**
 * The fields of every pre-login form that creates an account (the setup page, an invitation):
 * a name and a password typed twice. Shapes only; the password policy is the use case's.
 */
export class NewAccountForm {
  @MaxLength(MAX_DISPLAY_NAME_LENGTH, { message: `Names can be at most ${MAX_DISPLAY_NAME_LENGTH} characters long.` })
  @IsString({ message: 'Enter your name.' })
  @IsNotEmpty({ message: 'Enter your name.' })
  display_name: string;

  @MaxLength(1024, { message: 'Passwords can be at most 72 bytes long.' })
  @IsString({ message: 'Choose a password.' })
  @IsNotEmpty({ message: 'Choose a password.' })
  password: string;

  @MaxLength(1024, { message: 'The two passwords do not match.' })
  @IsString({ message: 'Enter the password again.' })
  @IsNotEmpty({ message: 'Enter the password again.' })
  confirm_password: string;
}
