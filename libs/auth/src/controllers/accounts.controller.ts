import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CreateAccountDto } from '../dto/create-account.dto';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import { RECORD_READ_AUDIT, type RecordReadAudit } from '../record-read-audit';
import type { Principal } from '../roles';
import { AccountService, type AccountToReview, type AccountView } from '../services/account.service';

/** POST /auth/accounts — admins create any account; clinic staff, patients of their facility. */
@Controller('auth/accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountService,
    @Inject(RECORD_READ_AUDIT) private readonly audit: RecordReadAudit,
  ) {}

  @Post()
  @RequireScope('Person.c')
  @Roles('admin', 'clinic-staff')
  async create(
    @Body() dto: CreateAccountDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<Omit<AccountView, 'organization'>> {
    const { id, username, role, fhirUser } = await this.accounts.create(dto, actor);
    return { id, username, role, fhirUser };
  }

  /** GET /auth/accounts/review — patient accounts whose Patient their facility does not manage. */
  @Get('review')
  @RequireScope('Person.rs')
  @Roles('admin')
  async review(
    @CurrentPrincipal() admin: Principal,
    @Req() req: Request,
  ): Promise<{ accounts: AccountToReview[] }> {
    const accounts = await this.accounts.accountsToReview();
    // Which facility manages each Patient is read from their record: in their audit trail.
    await this.audit?.recordRead(admin, {
      route: 'GET /auth/accounts/review',
      patients: accounts
        .filter((a) => a.managingOrganization !== 'missing')
        .map((a) => a.fhirUser ?? undefined),
      address: req.ip,
    });
    return { accounts };
  }

  @Post(':id/disable')
  @RequireScope('Person.u')
  @Roles('admin')
  @HttpCode(200)
  async disable(@Param('id', ParseUUIDPipe) id: string): Promise<{ id: string; active: false }> {
    await this.accounts.disable(id);
    return { id, active: false };
  }
}
