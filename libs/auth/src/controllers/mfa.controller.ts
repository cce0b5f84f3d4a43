import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { IsString, Matches } from 'class-validator';
import { authenticator } from 'otplib';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { CurrentPrincipal, SelfService } from '../guard/auth.decorators';
import { IDENTITY_CONTEXT } from '../identity.database';
import type { Principal } from '../roles';

export class ConfirmTotpDto {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits of the authenticator app' })
  code!: string;
}

/**
 * TOTP second factor (RFC 6238, otplib): enrol, then confirm with a first code. Once confirmed,
 * every password sign-in needs `otp`. Roles listed in MFA_REQUIRED_ROLES must enrol: until they
 * do, their tokens carry no API scope.
 */
@Controller('auth/mfa/totp')
export class MfaController {
  constructor(@InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource) {}

  @Post()
  @SelfService()
  async enrol(@CurrentPrincipal() p: Principal): Promise<{ secret: string; otpauth_uri: string }> {
    const account = await this.account(p);
    if (account.totpEnabled)
      throw new DomainError('AUTH.MFA_ALREADY_ENABLED', 409, 'TOTP is already enabled for this account');
    const secret = authenticator.generateSecret();
    await this.db.getRepository(AccountEntity).update({ id: account.id }, { totpSecret: secret });
    return { secret, otpauth_uri: authenticator.keyuri(account.username, 'Mekong Health', secret) };
  }

  @Post('confirm')
  @SelfService()
  @HttpCode(204)
  async confirm(@Body() dto: ConfirmTotpDto, @CurrentPrincipal() p: Principal): Promise<void> {
    const account = await this.account(p);
    if (!account.totpSecret || !authenticator.check(dto.code, account.totpSecret)) {
      throw new DomainError('AUTH.MFA_INVALID_CODE', 400, 'Invalid code / Mã không đúng');
    }
    await this.db.getRepository(AccountEntity).update({ id: account.id }, { totpEnabled: true });
  }

  private async account(p: Principal): Promise<AccountEntity> {
    if (p.role === 'system')
      throw new DomainError('AUTH.FORBIDDEN', 403, 'System clients have no second factor');
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id: p.subject });
    if (!account) throw new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account');
    return account;
  }
}
