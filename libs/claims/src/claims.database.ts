import type { ContextDatabase } from '@mekong/database';
import { Claims1797200000000 } from './migrations/1797200000000-claims';
import { ClaimCheckIn1797300000000 } from './migrations/1797300000000-claim-check-in';

export const CLAIMS_CONTEXT = 'claims';

/** Claims' own tables: each visit's claim and where it stands, every submission to the BHXH gateway (docs/claims-submission.md). */
export const CLAIMS_DATABASE: ContextDatabase = {
  name: CLAIMS_CONTEXT,
  schema: 'claims',
  entities: [],
  migrations: [Claims1797200000000, ClaimCheckIn1797300000000],
};
