import { Controller, DefaultValuePipe, Get, Header, ParseIntPipe, Query } from '@nestjs/common';
import { Roles, RequireScope } from '../guard/auth.decorators';
import { AuthEvents } from '../services/auth-events.service';

/** GET /auth/events (admin): the newest sign-in and account security events, as a Bundle of FHIR AuditEvents. */
@Controller('auth/events')
export class AuthEventsController {
  constructor(private readonly events: AuthEvents) {}

  @Get()
  @RequireScope('AuditEvent.rs')
  @Roles('admin')
  @Header('Cache-Control', 'no-store')
  list(
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ): Promise<Record<string, unknown>> {
    return this.events.list(Math.min(Math.max(limit, 1), 1000));
  }
}
