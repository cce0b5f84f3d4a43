import { IsString, Length, MaxLength } from 'class-validator';

/** Body of POST /auth/clients: a system client for the client_credentials grant. */
export class CreateClientDto {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @MaxLength(2000) scope!: string;
}
