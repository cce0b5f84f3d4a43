import { Module } from '@nestjs/common';
import { PATIENT_CONTEXT_AUTHORIZER, RECORD_READ_AUDIT } from '@mekong/auth';
import { DatabaseModule } from '@mekong/database';
import { AccessService } from './access/access.service';
import { BreakGlassService } from './access/break-glass.service';
import { AuditService } from './audit/audit.service';
import { HEALTH_RECORD_DATABASE } from './health-record.database';
import { BundleService } from './rest/bundle.service';
import { FhirController } from './rest/fhir.controller';
import { FhirRestService } from './rest/fhir-rest.service';
import { ResourceOwners } from './rest/resource-owners';
import { SearchService } from './search/search.service';
import { FhirStore } from './store/fhir-store.service';

/**
 * The lifelong health record: a generic FHIR R4 server over the health_record schema. Other
 * contexts import it for its published API; the identity context reaches it only through its ports
 * (PATIENT_CONTEXT_AUTHORIZER, RECORD_READ_AUDIT), which the deployable wires with
 * AuthModule.forIssuer.
 */
@Module({
  imports: [DatabaseModule.forContext(HEALTH_RECORD_DATABASE)],
  controllers: [FhirController],
  providers: [
    FhirStore,
    SearchService,
    FhirRestService,
    BundleService,
    AccessService,
    AuditService,
    BreakGlassService,
    ResourceOwners,
    { provide: PATIENT_CONTEXT_AUTHORIZER, useExisting: AccessService },
    { provide: RECORD_READ_AUDIT, useExisting: AuditService },
  ],
  exports: [
    FhirRestService,
    FhirStore,
    SearchService,
    AccessService,
    AuditService,
    BreakGlassService,
    ResourceOwners,
    PATIENT_CONTEXT_AUTHORIZER,
    RECORD_READ_AUDIT,
  ],
})
export class HealthRecordModule {}
