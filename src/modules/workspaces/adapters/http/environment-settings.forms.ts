import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The settings page's create form (the provider kind is a select; the use case checks every rule). */
export class CreateEnvironmentForm {
  @MaxLength(200, { message: 'The slug can be at most 63 characters long.' })
  @IsString({ message: 'Enter a slug.' })
  @IsNotEmpty({ message: 'Enter a slug.' })
  slug: string;

  @MaxLength(1000, { message: 'Display names can be at most 120 characters long.' })
  @IsString({ message: 'Enter a display name.' })
  @IsNotEmpty({ message: 'Enter a display name.' })
  display_name: string;

  @MaxLength(100, { message: 'Choose a provider.' })
  @IsString({ message: 'Choose a provider.' })
  @IsNotEmpty({ message: 'Choose a provider.' })
  provider_kind: string;
}

/** The settings page's rename form, one per environment. */
export class RenameEnvironmentForm {
  @MaxLength(1000, { message: 'Display names can be at most 120 characters long.' })
  @IsString({ message: 'Enter a display name.' })
  @IsNotEmpty({ message: 'Enter a display name.' })
  display_name: string;
}
