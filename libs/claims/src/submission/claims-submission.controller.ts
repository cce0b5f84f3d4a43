import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope, Roles } from '@mekong/auth';
import type { Request } from 'express';
import { ClaimParams, ClaimsQuery } from './claims-submission.dto';
import { type ClaimDetail, type ClaimView, ClaimsSubmissionService } from './claims-submission.service';

/** Where each finished visit's insurance claim stands at the BHXH gateway (docs/claims-submission.md). */
@Controller('claims')
export class ClaimsSubmissionController {
  constructor(private readonly service: ClaimsSubmissionService) {}

  /** The facility's claims (staff), the visits one took part in (practitioner), all (system); audited. */
  @Get()
  @RequireScope('Claim.rs')
  @Roles('clinic-staff', 'practitioner', 'system')
  list(@Query() q: ClaimsQuery, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<ClaimView[]> {
    return this.service.list(q, p, req.ip);
  }

  /** One claim: status, reasons, every submission's outcome and time (others 404). */
  @Get(':encounterId')
  @RequireScope('Claim.rs')
  @Roles('clinic-staff', 'practitioner', 'system')
  get(
    @Param() params: ClaimParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<ClaimDetail> {
    return this.service.get(params.encounterId, p, req.ip);
  }

  /** Made again from the record as corrected and sent again, within the correction window. */
  @Post(':encounterId/resend')
  @HttpCode(202)
  @RequireScope('Claim.c')
  @Roles('clinic-staff', 'system')
  resend(
    @Param() params: ClaimParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<ClaimView> {
    return this.service.resend(params.encounterId, p, req.ip);
  }
}
