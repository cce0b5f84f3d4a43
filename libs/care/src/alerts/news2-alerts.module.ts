import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { DutyRosterController } from '../roster/duty-roster.controller';
import { DutyRosterRepository } from '../roster/duty-roster.repository';
import { DutyRosterService } from '../roster/duty-roster.service';
import { CARE_DATABASE } from './care.database';
import { News2AlertRepository } from './news2-alert.repository';
import { News2AlertRoutingService } from './news2-alert-routing.service';
import { News2AlertsController } from './news2-alerts.controller';
import { News2AlertsService } from './news2-alerts.service';

/**
 * The duty roster and the NEWS2 alerts' workflow (routing to whoever is on call, acknowledgement,
 * escalation, booking override), in care's own schema (docs/decisions/018-duty-roster.md).
 */
@Module({
  imports: [DatabaseModule.forContext(CARE_DATABASE), HealthRecordModule, NotifyModule],
  controllers: [DutyRosterController, News2AlertsController],
  providers: [
    DutyRosterRepository,
    DutyRosterService,
    News2AlertRepository,
    News2AlertRoutingService,
    News2AlertsService,
  ],
  exports: [News2AlertRoutingService, DutyRosterRepository],
})
export class News2AlertsModule {}
