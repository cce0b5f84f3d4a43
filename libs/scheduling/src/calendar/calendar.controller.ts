import { Controller, Delete, Get, Header, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope } from '@mekong/auth';
import { DomainError, Public } from '@mekong/common';
import { CalendarService } from './calendar.service';

/** iCalendar feeds of a doctor's appointments (docs/scheduling.md "Calendar feed"). */
@Controller('scheduling')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Post('calendar-feeds')
  @RequireScope('Appointment.rs')
  create(@CurrentPrincipal() p: Principal) {
    return this.calendar.create(p);
  }

  @Delete('calendar-feeds')
  @RequireScope('Appointment.rs')
  revoke(@CurrentPrincipal() p: Principal) {
    return this.calendar.revokeAll(p);
  }

  /** The token in the URL is the credential (calendar apps send no Authorization header). */
  @Public()
  @Get('calendar/:file')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, max-age=300')
  feed(@Param('file') file: string) {
    const m = /^([A-Za-z0-9_-]{20,64})\.ics$/.exec(file);
    if (!m) throw new DomainError('not-found', 404, 'No such calendar feed');
    return this.calendar.feed(m[1] as string);
  }
}
