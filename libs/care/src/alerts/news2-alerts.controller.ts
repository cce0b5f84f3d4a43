import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles, RequireScope } from '@mekong/auth';
import { AuditService } from '@mekong/health-record';
import type { News2Alert, News2AlertView } from '@mekong/contracts';
import type { Request } from 'express';
import { BookingOverrideDto, News2AlertParams, News2AlertsQuery } from './news2-alerts.dto';
import { News2AlertsService } from './news2-alerts.service';

/** NEWS2 alerts: the inbox, acknowledgement and booking override (docs/care.md § The alert's workflow). */
@Controller('care/alerts')
export class News2AlertsController {
  constructor(
    private readonly alerts: News2AlertsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireScope('Flag.rs')
  @Roles('practitioner', 'clinic-staff')
  async list(
    @Query() q: News2AlertsQuery,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<News2AlertView[]> {
    const rows = await this.alerts.list(p, (q.status ?? 'open') === 'open');
    await this.audit.recordRead(p, {
      route: 'GET /care/alerts',
      patients: rows.map((r) => r.patientId),
      address: req.ip,
    });
    return rows;
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequireScope('Flag.u')
  @Roles('practitioner', 'clinic-staff')
  acknowledge(@Param() params: News2AlertParams, @CurrentPrincipal() p: Principal): Promise<News2Alert> {
    return this.alerts.acknowledge(params.id, p);
  }

  @Post(':id/booking-override')
  @HttpCode(200)
  @RequireScope('Flag.u')
  @Roles('practitioner', 'clinic-staff')
  override(
    @Param() params: News2AlertParams,
    @Body() body: BookingOverrideDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<News2Alert> {
    return this.alerts.override(params.id, body.reason, p);
  }
}
