import { IsString, MaxLength } from 'class-validator';

/** Body of POST /auth/password. */
export class ChangePasswordDto {
  @IsString() @MaxLength(128) currentPassword!: string;
  @IsString() @MaxLength(128) newPassword!: string;
}
