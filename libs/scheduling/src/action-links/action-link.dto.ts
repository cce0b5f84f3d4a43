import { IsIn, IsString, MaxLength } from 'class-validator';

/**
 * A link's token, as the portal read it from the URL fragment (never from a path or a query).
 * Any string is looked up: a wrong one answers 404 whatever its shape.
 */
export class ActionLinkTokenDto {
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class UseActionLinkDto extends ActionLinkTokenDto {
  @IsIn(['confirm', 'cancel'])
  action!: 'confirm' | 'cancel';
}
