import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { CareBookingModule, CareModule } from '@mekong/care';
import { type AppConfig, CommonModule } from '@mekong/common';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { SchedulingModule } from '@mekong/scheduling';

/** The scheduling deployable; verifies tokens against the health-record deployable's JWKS. */
@Module({})
export class SchedulingAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SchedulingAppModule,
      imports: [
        CommonModule.forRoot({ config, service: 'scheduling' }),
        AuthModule.forVerifier(),
        // Slot and Appointment are stored in the lifelong record (decision 006): this deployable
        // serves them through the health record's engine with scheduling's write rules.
        HealthRecordModule,
        NotifyModule,
        SchedulingModule,
        // The booking gate (triage emergency, telehealth eligibility) is care's.
        CareModule,
        CareBookingModule,
      ],
    };
  }
}
