import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { type AppConfig, CommonModule } from '@mekong/common';
import { ConsultationModule } from '@mekong/consultation';
import { EprescriptionModule } from '@mekong/eprescription';
import { CareWaitingRoomModule, ImmunizationForecastModule } from '@mekong/care';
import { ClaimsRecordModule } from '@mekong/claims';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';

/** The consultation deployable (signaling + media); verifies tokens against the issuer's JWKS. */
@Module({})
export class ConsultationAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ConsultationAppModule,
      imports: [
        CommonModule.forRoot({ config, service: 'consultation' }),
        AuthModule.forVerifier(),
        // The write-back goes through the record's and scheduling's in-process APIs (one database).
        HealthRecordModule,
        NotifyModule,
        ConsultationModule,
        // A visit's structured prescriptions become national e-prescriptions in its write-back.
        EprescriptionModule,
        // Care's NEWS2 orders the waiting room (the consultation's extension point).
        CareWaitingRoomModule,
        // Reactions to what the write-back writes run in the writer's transaction, so here too: a
        // finished visit queues its insurance claim; a pregnancy diagnosed at the visit updates the
        // vaccination forecast (test/platform.e2e-spec.ts compares the observers with the platform's).
        ClaimsRecordModule,
        ImmunizationForecastModule,
      ],
    };
  }
}
