import type { ContextDatabase } from '@mekong/database';
import { HealthRecordInit1763830100000 } from './migrations/1763830100000-health-record-init';
import { ResourceStore1763830300000 } from './migrations/1763830300000-resource-store';
import { AccessAndAudit1763830400000 } from './migrations/1763830400000-access-and-audit';
import { VersionCompartments1765000000000 } from './migrations/1765000000000-version-compartments';
import { GuardianshipProvenance1765000100000 } from './migrations/1765000100000-guardianship-provenance';
import { LinkedCompartments1765600000000 } from './migrations/1765600000000-linked-compartments';

export const HEALTH_RECORD_CONTEXT = 'health_record';

export const HEALTH_RECORD_DATABASE: ContextDatabase = {
  name: HEALTH_RECORD_CONTEXT,
  schema: 'health_record',
  entities: [],
  migrations: [
    HealthRecordInit1763830100000,
    ResourceStore1763830300000,
    AccessAndAudit1763830400000,
    VersionCompartments1765000000000,
    GuardianshipProvenance1765000100000,
    LinkedCompartments1765600000000,
  ],
};
