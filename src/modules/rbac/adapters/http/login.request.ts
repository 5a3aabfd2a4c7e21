import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The sign-in form. `_csrf` is taken out of the body by the CSRF plumbing before validation. */
export class LoginRequest {
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  next?: string;
}
