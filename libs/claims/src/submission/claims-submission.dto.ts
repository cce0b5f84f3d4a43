import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const CLAIM_STATUSES = ['queued', 'sending', 'accepted', 'rejected', 'invalid', 'failed'] as const;

/** GET /claims?status=&from=&to= */
export class ClaimsQuery {
  @IsOptional() @IsIn(CLAIM_STATUSES) status?: (typeof CLAIM_STATUSES)[number];
  /** Visits finished at or after (ISO 8601). */
  @IsOptional() @IsISO8601() from?: string;
  /** Visits finished at or before (ISO 8601). */
  @IsOptional() @IsISO8601() to?: string;
}

export class ClaimParams {
  @Matches(FHIR_ID, { message: 'encounterId must be an Encounter id' }) encounterId!: string;
}
