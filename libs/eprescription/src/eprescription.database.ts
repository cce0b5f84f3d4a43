import type { ContextDatabase } from '@mekong/database';
import { Eprescription1797100000000 } from './migrations/1797100000000-eprescription';

export const EPRESCRIPTION_CONTEXT = 'eprescription';

/** The e-prescription connector's own tables: doctors' national sign-ins and the prescriptions' outbox. */
export const EPRESCRIPTION_DATABASE: ContextDatabase = {
  name: EPRESCRIPTION_CONTEXT,
  schema: 'eprescription',
  entities: [],
  migrations: [Eprescription1797100000000],
};
