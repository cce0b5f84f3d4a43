import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { HEALTH_RECORD_DATABASE } from './health-record.database';

/** The lifelong health record (FHIR R4 server) bounded context. */
@Module({ imports: [DatabaseModule.forContext(HEALTH_RECORD_DATABASE)] })
export class HealthRecordModule {}
