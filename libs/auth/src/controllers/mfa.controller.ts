import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { CurrentPrincipal, SelfService } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { MfaService } from '../services/mfa.service';

export class EnrolTotpDto {
  @IsString() @MaxLength(128) password!: string;

  /** The current code of the authenticator in use; required when one is. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits of the authenticator app' })
  code?: string;
}

export class ConfirmTotpDto {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits of the authenticator app' })
  code!: string;
}

/**
 * TOTP second factor (RFC 6238, otplib): enrol (current password, and the current code when a
 * factor is in use), then confirm with a first code. Once confirmed, every password sign-in needs
 * `otp`, each code once. Roles listed in MFA_REQUIRED_ROLES must enrol: until they do, their tokens
 * carry no API scope.
 */
@Controller('auth/mfa/totp')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post()
  @SelfService()
  enrol(
    @Body() dto: EnrolTotpDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<{ secret: string; otpauth_uri: string }> {
    return this.mfa.enrol(p, dto.password, dto.code, req.ip ?? 'unknown');
  }

  @Post('confirm')
  @SelfService()
  @HttpCode(204)
  confirm(@Body() dto: ConfirmTotpDto, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<void> {
    return this.mfa.confirm(p, dto.code, req.ip ?? 'unknown');
  }
}
