import { Body, Controller, Delete, Get, Param, Post, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope } from '@mekong/auth';
import { AuditService } from '@mekong/health-record';
import type { WaitlistEntry } from '@mekong/contracts';
import type { Request } from 'express';
import { JoinWaitlistDto } from './waitlist.dto';
import { WaitlistQuery } from './waitlist-query.dto';
import { WaitlistService } from './waitlist.service';

/** The waitlist (docs/scheduling.md): patients, guardians, and clinicians for patients in their care. */
@Controller('scheduling/waitlist')
export class WaitlistController {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @RequireScope('Appointment.c')
  join(@Body() dto: JoinWaitlistDto, @CurrentPrincipal() p: Principal): Promise<WaitlistEntry> {
    return this.waitlist.join(dto, p);
  }

  @Get()
  @RequireScope('Appointment.rs')
  async list(
    @Query() q: WaitlistQuery,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<WaitlistEntry[]> {
    const entries = await this.waitlist.list(q.patient, p);
    await this.audit.recordRead(p, {
      route: 'GET /scheduling/waitlist',
      patients: [q.patient ?? p.patient, ...entries.map((e) => e.patient)],
      address: req.ip,
    });
    return entries;
  }

  @Delete(':id')
  @RequireScope('Appointment.d')
  leave(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WaitlistEntry> {
    return this.waitlist.leave(id, p);
  }
}
