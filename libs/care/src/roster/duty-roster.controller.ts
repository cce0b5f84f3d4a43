import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles, RequireScope } from '@mekong/auth';
import type { DutyShift, DutyShiftView } from '@mekong/contracts';
import { DutyRosterQuery, DutyShiftDto, DutyShiftParams } from './duty-roster.dto';
import { DutyRosterService } from './duty-roster.service';

/**
 * The duty roster (docs/care.md § Duty roster): clinicians read any facility's roster (no patient
 * data); a facility's clinic staff and administrators edit that facility's rows.
 */
@Controller('care/duty-roster')
export class DutyRosterController {
  constructor(private readonly roster: DutyRosterService) {}

  @Get()
  @RequireScope('PractitionerRole.rs')
  @Roles('clinic-staff', 'practitioner', 'admin')
  list(@Query() q: DutyRosterQuery): Promise<DutyShiftView[]> {
    return this.roster.list(q.facility, q.from, q.to);
  }

  @Post()
  @RequireScope('PractitionerRole.c')
  @Roles('clinic-staff', 'admin')
  create(@Body() body: DutyShiftDto, @CurrentPrincipal() p: Principal): Promise<DutyShift> {
    return this.roster.create(body, p);
  }

  @Put(':id')
  @RequireScope('PractitionerRole.u')
  @Roles('clinic-staff', 'admin')
  replace(
    @Param() params: DutyShiftParams,
    @Body() body: DutyShiftDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<DutyShift> {
    return this.roster.replace(params.id, body, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('PractitionerRole.d')
  @Roles('clinic-staff', 'admin')
  async remove(@Param() params: DutyShiftParams, @CurrentPrincipal() p: Principal): Promise<void> {
    await this.roster.remove(params.id, p);
  }
}
