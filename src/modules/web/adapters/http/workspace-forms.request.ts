import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The home page's "New workspace" form (the slug's shape is the use case's rule). */
export class NewWorkspaceForm {
  @MaxLength(63, { message: 'Workspace slugs are at most 63 characters long.' })
  @IsString({ message: 'Choose a slug for the workspace.' })
  @IsNotEmpty({ message: 'Choose a slug for the workspace.' })
  slug: string;

  @MaxLength(120, { message: 'Workspace names can be at most 120 characters long.' })
  @IsString({ message: 'Name the workspace.' })
  @IsNotEmpty({ message: 'Name the workspace.' })
  name: string;
}

/** The settings page's rename form. */
export class RenameWorkspaceForm {
  @MaxLength(120, { message: 'Workspace names can be at most 120 characters long.' })
  @IsString({ message: 'Name the workspace.' })
  @IsNotEmpty({ message: 'Name the workspace.' })
  name: string;
}
