import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { SigningModule } from '@mekong/signing';
import { TerminologyModule } from '@mekong/terminology';
import { ClaimMapper } from './claim-mapper';
import { ClaimsConfig } from './claims-config';
import { ClaimSource } from './claim-source';
import { ClaimsOperation } from './claims-operation';
import { HealthBookOperation } from './health-book/health-book-operation';
import { SystemClaimSource } from './system-claim-source';
import { CLAIMS_DATABASE } from './claims.database';
import { ClaimRepository } from './submission/claim.repository';
import { ClaimSubmission } from './submission/claim-submission';
import { ClaimsSubmissionController } from './submission/claims-submission.controller';
import { ClaimsSubmissionService } from './submission/claims-submission.service';
import { ClaimsGatewayConfig } from './submission/gateway-config';

/** Health-insurance claims (QĐ 130): made from the record, checked against the national lists. */
@Module({
  imports: [
    DatabaseModule.forContext(CLAIMS_DATABASE),
    HealthRecordModule,
    NotifyModule,
    TerminologyModule,
    SigningModule,
  ],
  controllers: [ClaimsSubmissionController],
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
    {
      provide: ClaimsGatewayConfig,
      useFactory: (config: AppConfig) => new ClaimsGatewayConfig(config),
      inject: [APP_CONFIG],
    },
    ClaimRepository,
    ClaimSubmission,
    ClaimsSubmissionService,
  ],
  exports: [ClaimMapper, ClaimsConfig, ClaimSource],
})
export class ClaimsModule {}
