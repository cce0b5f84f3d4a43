import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@mekong/auth';
import { JoinWaitlistDto } from './waitlist.dto';
import { WaitlistService } from './waitlist.service';

/** The waitlist (docs/scheduling.md): patients, guardians, and clinicians for patients in their care. */
@Controller('scheduling/waitlist')
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post()
  join(@Body() dto: JoinWaitlistDto, @CurrentPrincipal() p: Principal) {
    return this.waitlist.join(dto, p);
  }

  @Get()
  list(@Query('patient') patient: string | undefined, @CurrentPrincipal() p: Principal) {
    return this.waitlist.list(patient, p);
  }

  @Delete(':id')
  leave(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.waitlist.leave(id, p);
  }
}
