import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { CareModule } from '@mekong/care';
import { ClaimsModule } from '@mekong/claims';
import { type AppConfig, CommonModule } from '@mekong/common';
import { EconsultModule } from '@mekong/econsult';
import { EprescriptionModule } from '@mekong/eprescription';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { TerminologyModule } from '@mekong/terminology';

/**
 * The health-record deployable: the FHIR record plus identity (it issues the tokens), and proactive
 * care, whose reactions to record writes run in the process that writes (vaccination forecasts
 * and reminders, NEWS2) — with the durable jobs and notifications they send — and store-and-forward
 * consultations (nginx sends every path it does not route elsewhere, /econsult included, here).
 */
@Module({})
export class HealthRecordAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: HealthRecordAppModule,
      imports: [
        CommonModule.forRoot({ config, service: 'health-record' }),
        AuthModule.forIssuer({ patients: HealthRecordModule, notices: NotifyModule }),
        HealthRecordModule,
        NotifyModule,
        CareModule,
        EconsultModule,
        TerminologyModule,
        ClaimsModule,
        EprescriptionModule,
      ],
    };
  }
}
