import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CreateAccountDto } from '../dto/create-account.dto';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { AccountService, type AccountToReview, type AccountView } from '../services/account.service';

/** POST /auth/accounts — admins create any account; clinic staff, patients of their facility. */
@Controller('auth/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

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
  async review(): Promise<{ accounts: AccountToReview[] }> {
    return { accounts: await this.accounts.accountsToReview() };
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
