import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { HealthRecordModule } from '@mekong/health-record';
import { SigningModule } from '@mekong/signing';
import { TerminologyModule } from '@mekong/terminology';
import { ClaimMapper } from './claim-mapper';
import { ClaimsConfig } from './claims-config';
import { ClaimSource } from './claim-source';
import { ClaimsOperation } from './claims-operation';
import { HealthBookOperation } from './health-book/health-book-operation';
import { SystemClaimSource } from './system-claim-source';

/** Health-insurance claims (QĐ 130): made from the record, checked against the national lists. */
@Module({
  imports: [HealthRecordModule, TerminologyModule, SigningModule],
  providers: [
    {
      provide: ClaimsConfig,
      useFactory: (config: AppConfig) => new ClaimsConfig(ClaimsConfig.parse(config.claims)),
      inject: [APP_CONFIG],
    },
    ClaimMapper,
    ClaimsOperation,
    HealthBookOperation,
    { provide: ClaimSource, useClass: SystemClaimSource },
  ],
  exports: [ClaimMapper, ClaimsConfig, ClaimSource],
})
export class ClaimsModule {}
