import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { AccessService } from '@mekong/health-record';
import { ClaimMapper } from './claim-mapper';
import { type CheckInRequest, type CheckInResult, ClaimSource, type ClaimResult } from './claim-source';

/** Claims acting on its own (the submission queue): a system principal reading only what a claim needs, audited as such. */
export const CLAIMS_PRINCIPAL: Principal = {
  subject: 'mekong-claims',
  role: 'system',
  scopes: [
    'system/Encounter.rs',
    'system/Patient.r',
    'system/Coverage.rs',
    'system/Condition.rs',
    'system/ClinicalImpression.rs',
    'system/MedicationRequest.rs',
    'system/ServiceRequest.rs',
    'system/Observation.rs',
    'system/Organization.r',
    'system/Practitioner.r',
  ],
  tokenId: 'internal',
  expiresAt: Number.MAX_SAFE_INTEGER,
};

/** The facility's own claim of its own finished visit, made from the record as it is now. */
@Injectable()
export class SystemClaimSource extends ClaimSource {
  constructor(
    private readonly access: AccessService,
    private readonly mapper: ClaimMapper,
  ) {
    super();
  }

  async claimOf(encounterId: string): Promise<ClaimResult> {
    const access = await this.access.contextFor(CLAIMS_PRINCIPAL);
    return this.mapper.claimOf(encounterId, { query: [], lenient: false, access });
  }

  async checkInOf(v: CheckInRequest): Promise<CheckInResult> {
    const access = await this.access.contextFor(CLAIMS_PRINCIPAL);
    return this.mapper.checkInOf(v, { query: [], lenient: false, access });
  }
}
