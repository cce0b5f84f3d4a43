import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ROLES, type AccountRole } from '../roles';

/** Body of POST /auth/accounts (API.md "Auth"). Unknown fields are refused by the global pipe. */
export class CreateAccountDto {
  @IsString()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'username may contain letters, digits and . _ @ - only' })
  username!: string;

  @IsString() @MaxLength(128) password!: string;

  @IsIn(ACCOUNT_ROLES) role!: AccountRole;

  @IsOptional()
  @Matches(/^(Patient|Practitioner)\/[A-Za-z0-9\-.]{1,64}$/, {
    message: 'fhirUser must be Patient/<id> or Practitioner/<id>',
  })
  fhirUser?: string;

  @IsOptional()
  @Matches(/^Organization\/[A-Za-z0-9\-.]{1,64}$/, { message: 'organization must be Organization/<id>' })
  organization?: string;
}
