import { IDENTITY_DATABASE } from '@mekong/auth';
import { CARE_DATABASE } from '@mekong/care';
import { CLAIMS_DATABASE } from '@mekong/claims';
import { CONSULTATION_DATABASE } from '@mekong/consultation';
import { ECONSULT_DATABASE } from '@mekong/econsult';
import { EPRESCRIPTION_DATABASE } from '@mekong/eprescription';
import { HEALTH_RECORD_DATABASE } from '@mekong/health-record';
import { SCHEDULING_DATABASE } from '@mekong/scheduling';

/** Every context's database, in the order their migrations apply. */
export const CONTEXT_DATABASES = [
  IDENTITY_DATABASE,
  HEALTH_RECORD_DATABASE,
  SCHEDULING_DATABASE,
  CONSULTATION_DATABASE,
  CARE_DATABASE,
  ECONSULT_DATABASE,
  EPRESCRIPTION_DATABASE,
  CLAIMS_DATABASE,
];
