import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import type { Request } from 'express';
import { ChangePasswordDto } from '../dto/change-password.dto';
import { CurrentPrincipal, SelfService } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { AccountService } from '../services/account.service';

/**
 * POST /auth/password — change one's own password (the current one checked inside the sign-in
 * limit); every session's refresh token is revoked.
 */
@Controller('auth/password')
export class PasswordController {
  constructor(private readonly accounts: AccountService) {}

  @Post()
  @SelfService()
  @HttpCode(204)
  async change(
    @Body() dto: ChangePasswordDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<void> {
    if (p.role === 'system') throw new DomainError('AUTH.FORBIDDEN', 403, 'System clients have no password');
    await this.accounts.changePassword(p.subject, dto.currentPassword, dto.newPassword, req.ip ?? 'unknown');
  }
}
