import { Matches } from 'class-validator';

/** GET /care/immunizations/due?month=YYYY-MM */
export class ImmunizationDueQuery {
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM (e.g. 2026-12)' })
  month!: string;
}
