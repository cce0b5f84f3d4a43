import type { ClaimOutput } from './xml130/build-claim';

/** A problem that keeps a visit's claim from being made or sent: which table and field, and why. */
export interface ClaimProblem {
  /** e.g. `XML1.MA_THE_BHYT`, `Patient.address`, `facility` */
  readonly field: string;
  /** Vietnamese and English, for the facility's staff. */
  readonly message: string;
}

/** The claim of one finished visit as the record holds it now, or why it cannot be made. */
export type ClaimResult =
  | {
      readonly ok: true;
      readonly claim: ClaimOutput;
      readonly facilityCode: string;
      readonly insured: boolean;
    }
  | { readonly ok: false; readonly problems: readonly ClaimProblem[]; readonly facilityCode?: string };

/**
 * Makes a visit's claim from the record (claims' ClaimMapper). The submission queue calls it with
 * no caller (a system reason: the facility's own claim of its own visit); the `$bhyt-claim`
 * operation with the caller's access.
 */
export abstract class ClaimSource {
  abstract claimOf(encounterId: string): Promise<ClaimResult>;
  /** The check-in (XML0) of a visit that has just started (ClaimMapper.checkInOf). */
  abstract checkInOf(v: CheckInRequest): Promise<CheckInResult>;
}

/** A visit that has just started, as the check-in needs it. */
export interface CheckInRequest {
  /** The Encounter the visit will be written as: the MA_LK of its check-in and of its claim. */
  readonly encounterId: string;
  /** `Patient/<id>` */
  readonly patient: string;
  /** `Organization/<id>`: the facility giving the visit. */
  readonly organization?: string;
  /** When the visit started (the first charge). */
  readonly startedAt: string;
}

export type CheckInResult =
  | { readonly ok: true; readonly document: string; readonly facilityCode: string }
  | { readonly ok: true; readonly document?: undefined; readonly reason: string }
  | { readonly ok: false; readonly problems: readonly ClaimProblem[]; readonly facilityCode?: string };
