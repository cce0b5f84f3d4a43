import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { type AppConfig, CommonModule } from '@mekong/common';
import { HealthRecordModule } from '@mekong/health-record';

/** The health-record deployable: the FHIR record plus identity (it issues the tokens). */
@Module({})
export class HealthRecordAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: HealthRecordAppModule,
      imports: [
        CommonModule.forRoot({ config, service: 'health-record' }),
        AuthModule.forIssuer(),
        HealthRecordModule,
      ],
    };
  }
}
