import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NewAccountForm } from './new-account.form';

/** The setup page's form (`_csrf` is taken out by the CSRF plumbing); the rules of each value are the use case's. */
export class FirstRunForm extends NewAccountForm {
  @IsString({ message: 'The setup link is not valid.' })
  @IsNotEmpty({ message: 'The setup link is not valid.' })
  @MaxLength(64, { message: 'The setup link is not valid.' })
  token: string;

  @MaxLength(254, { message: 'That is not a valid email address.' })
  @IsString({ message: 'Enter your email address.' })
  @IsNotEmpty({ message: 'Enter your email address.' })
  email: string;

  @MaxLength(63, { message: 'Workspace slugs are at most 63 characters long.' })
  @IsString({ message: 'Choose a slug for the workspace.' })
  @IsNotEmpty({ message: 'Choose a slug for the workspace.' })
  workspace_slug: string;

  @MaxLength(120, { message: 'Workspace names can be at most 120 characters long.' })
  @IsString({ message: 'Name the workspace.' })
  @IsNotEmpty({ message: 'Name the workspace.' })
  workspace_name: string;
}
