import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope } from '@mekong/auth';
import { JoinWaitlistDto } from './waitlist.dto';
import { WaitlistQuery } from './waitlist-query.dto';
import { WaitlistService } from './waitlist.service';

/** The waitlist (docs/scheduling.md): patients, guardians, and clinicians for patients in their care. */
@Controller('scheduling/waitlist')
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post()
  @RequireScope('Appointment.c')
  join(@Body() dto: JoinWaitlistDto, @CurrentPrincipal() p: Principal) {
    return this.waitlist.join(dto, p);
  }

  @Get()
  @RequireScope('Appointment.rs')
  list(@Query() q: WaitlistQuery, @CurrentPrincipal() p: Principal) {
    return this.waitlist.list(q.patient, p);
  }

  @Delete(':id')
  @RequireScope('Appointment.d')
  leave(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.waitlist.leave(id, p);
  }
}
