import type { ContextDatabase } from '@mekong/database';
import { Econsult1796600000000 } from './migrations/1796600000000-econsult';
import { EconsultTriage1796600100000 } from './migrations/1796600100000-econsult-triage';

export const ECONSULT_CONTEXT = 'econsult';

/** E-consultations' own tables: each case's workflow and its uploads (docs/econsult.md). */
export const ECONSULT_DATABASE: ContextDatabase = {
  name: ECONSULT_CONTEXT,
  schema: 'econsult',
  entities: [],
  migrations: [Econsult1796600000000, EconsultTriage1796600100000],
};
