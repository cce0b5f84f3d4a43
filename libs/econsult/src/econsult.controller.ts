import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope, Roles } from '@mekong/auth';
import { AccessService, AuditService } from '@mekong/health-record';
import type { Request } from 'express';
import { CaseParams, CreateCaseDto, ReplyDto } from './econsult.dto';
import { type CaseListItem, type CaseView, EconsultService } from './econsult.service';

/** Store-and-forward consultations (docs/econsult.md): send, worklist, read, take, reply. */
@Controller('econsult/cases')
export class EconsultController {
  constructor(
    private readonly econsult: EconsultService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @RequireScope('ServiceRequest.c')
  @Roles('clinic-staff', 'practitioner')
  create(
    @Body() body: CreateCaseDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<CaseView> {
    return this.econsult.create(body, p, req.ip);
  }

  /** The caller's worklist (a specialist on duty), sent cases (a facility) or own cases (a patient). */
  @Get()
  @RequireScope('ServiceRequest.rs')
  @Roles('clinic-staff', 'practitioner', 'patient')
  async list(@CurrentPrincipal() p: Principal, @Req() req: Request): Promise<CaseListItem[]> {
    const rows = await this.econsult.list(p);
    await this.audit.recordRead(p, {
      route: 'GET /econsult/cases',
      patients: rows.map((r) => r.patientId),
      address: req.ip,
    });
    return rows;
  }

  @Get(':id')
  @RequireScope('ServiceRequest.rs')
  @Roles('clinic-staff', 'practitioner', 'patient')
  async get(
    @Param() params: CaseParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<CaseView> {
    const { c } = await this.econsult.visible(params.id, p);
    const view = await this.econsult.view(c);
    const access = await this.access.contextFor(p, req.ip);
    await this.audit.record(access.audit('R', 'read', `ServiceRequest/${c.serviceRequestId}`, [c.patientId]));
    return view;
  }

  /** A specialist on duty takes the case (it leaves the other on-duty clinicians' worklists). */
  @Post(':id/claim')
  @HttpCode(200)
  @RequireScope('Task.u')
  @Roles('practitioner')
  claim(
    @Param() params: CaseParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<CaseView> {
    return this.econsult.claim(params.id, p, req.ip);
  }

  @Post(':id/reply')
  @HttpCode(200)
  @RequireScope('Task.u')
  @Roles('practitioner')
  reply(
    @Param() params: CaseParams,
    @Body() body: ReplyDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<CaseView> {
    return this.econsult.reply(params.id, body, p, req.ip);
  }
}
