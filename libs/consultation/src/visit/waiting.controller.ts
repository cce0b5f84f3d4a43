import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles, RequireScope } from '@mekong/auth';
import { RoomsService } from './rooms.service';

/** One person waiting: `{ appointmentId, participantId, role, actor, reason, priority, since }`. */
export type WaitingEntry = ReturnType<RoomsService['waitingFor']>[number];

/**
 * The doctor's waiting room over HTTP (`GET /consultation/waiting`, practitioners): everyone
 * waiting now in the rooms of appointments the caller is a practitioner of — the queue the socket
 * pushes to a host inside the room, so the day's schedule shows it before a room is opened. Rooms
 * live in this process's memory; only those naming the caller's own FHIR reference are listed.
 */
@Controller('consultation/waiting')
export class WaitingController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  @RequireScope('Appointment.rs')
  @Roles('practitioner')
  waiting(@CurrentPrincipal() principal: Principal): WaitingEntry[] {
    const me = principal.fhirUser;
    if (!me?.startsWith('Practitioner/')) return [];
    return this.rooms.waitingFor(me);
  }
}
