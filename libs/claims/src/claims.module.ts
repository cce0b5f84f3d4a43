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
import { ClaimCheckIn } from './submission/claim-check-in';
import { ClaimsSubmissionController } from './submission/claims-submission.controller';
import { ClaimsSubmissionService } from './submission/claims-submission.service';
import { ClaimsGatewayConfig } from './submission/gateway-config';

/**
 * Claims as the record's writers need them: the mapper, `$bhyt-claim` / `$health-book`, and the
 * submission queue — a finished Encounter queues its claim in the writer's transaction, so every
 * deployable that writes visits (health-record, consultation's write-back) imports this module.
 */
@Module({
  imports: [
    DatabaseModule.forContext(CLAIMS_DATABASE),
    HealthRecordModule,
    NotifyModule,
    TerminologyModule,
    SigningModule,
  ],
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
    ClaimCheckIn,
  ],
  exports: [
    ClaimMapper,
    ClaimsConfig,
    ClaimSource,
    ClaimRepository,
    ClaimSubmission,
    ClaimCheckIn,
    ClaimsGatewayConfig,
  ],
})
export class ClaimsRecordModule {}

/** Health-insurance claims (QĐ 130) with the facility staff's `/claims` API (health-record). */
@Module({
  imports: [ClaimsRecordModule, HealthRecordModule],
  controllers: [ClaimsSubmissionController],
  providers: [ClaimsSubmissionService],
  exports: [ClaimsRecordModule],
})
export class ClaimsModule {}
