import { Body, Controller, Get, HttpCode, Put, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope, Roles } from '@mekong/auth';
import type { Request } from 'express';
import { CredentialsDto, PrescriptionsQuery } from './eprescription.dto';
import { EprescriptionService, type PrescriptionView } from './eprescription.service';

/** National e-prescriptions (docs/eprescription.md): the doctor's national sign-in; a visit's prescriptions. */
@Controller('eprescription')
export class EprescriptionController {
  constructor(private readonly service: EprescriptionService) {}

  /** The caller's own national-system sign-in (practitioners only; stored encrypted, never returned, audited). */
  @Put('credentials')
  @HttpCode(204)
  @RequireScope('MedicationRequest.c')
  @Roles('practitioner')
  setCredentials(
    @Body() body: CredentialsDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<void> {
    return this.service.setCredentials(p, body, req.ip);
  }

  /** Each national prescription of a visit and where it stands (the visit's practitioners, the facility's staff; else 404). */
  @Get('prescriptions')
  @RequireScope('MedicationRequest.rs')
  @Roles('practitioner', 'clinic-staff')
  list(
    @Query() q: PrescriptionsQuery,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<PrescriptionView[]> {
    return this.service.ofEncounter(q.encounter, p, req.ip);
  }
}
