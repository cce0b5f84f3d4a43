import { Body, Controller, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ResetPatientPasswordDto } from '../dto/reset-patient-password.dto';
import { CurrentPrincipal, RequireScope, Roles } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { AccountRecoveryService, type PasswordResetResult } from '../services/account-recovery.service';

/**
 * Account recovery: administrators reset a second factor (any account) or the password of a
 * non-patient account; a patient's password is reset by staff of the station that manages them,
 * after an identity check in person. Answers carry a one-time password: never cached.
 */
@Controller('auth')
export class AccountRecoveryController {
  constructor(private readonly recovery: AccountRecoveryService) {}

  @Post('accounts/:id/reset-mfa')
  @RequireScope('Person.u')
  @Roles('admin')
  @HttpCode(200)
  async resetMfa(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() admin: Principal,
  ): Promise<{ id: string; totpEnabled: false }> {
    await this.recovery.resetSecondFactor(id, admin);
    return { id, totpEnabled: false };
  }

  @Post('accounts/:id/reset-password')
  @RequireScope('Person.u')
  @Roles('admin')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  resetPassword(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() admin: Principal,
  ): Promise<PasswordResetResult> {
    return this.recovery.resetStaffPassword(id, admin);
  }

  @Post('patients/:patientId/reset-password')
  @RequireScope('Person.u')
  @Roles('clinic-staff')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  resetPatientPassword(
    @Param('patientId') patientId: string,
    @Body() dto: ResetPatientPasswordDto,
    @CurrentPrincipal() staff: Principal,
  ): Promise<PasswordResetResult> {
    return this.recovery.resetPatientPassword(patientId, staff, dto.cccdLast4);
  }
}
