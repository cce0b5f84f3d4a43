import { Controller, Get, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles, RequireScope } from '@mekong/auth';
import { AuditService } from '@mekong/health-record';
import type { Request } from 'express';
import { RoomsService } from './rooms.service';
import type { WaitingEntry } from '@mekong/contracts';

/** One person waiting (the shared contract, libs/contracts): appointment, participant, priority, NEWS2. */
export type { WaitingEntry };

/**
 * The doctor's waiting room over HTTP (`GET /consultation/waiting`, practitioners): everyone
 * waiting now in the rooms of appointments the caller is a practitioner of — the queue the socket
 * pushes to a host inside the room, so the day's schedule shows it before a room is opened. Rooms
 * live in this process's memory; only those naming the caller's own FHIR reference are listed.
 */
@Controller('consultation/waiting')
export class WaitingController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireScope('Appointment.rs')
  @Roles('practitioner')
  async waiting(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<WaitingEntry[]> {
    const me = principal.fhirUser;
    if (!me?.startsWith('Practitioner/')) return [];
    const entries = this.rooms.waitingFor(me);
    // Who waits and why: in the audit trail of each visit's patient.
    await this.audit.recordRead(principal, {
      route: 'GET /consultation/waiting',
      patients: entries.map((e) => this.rooms.get(e.appointmentId)?.patientId),
      address: req.ip,
    });
    return entries;
  }
}
