/**
 * The facility's insurance (BHYT) claims as the BHXH gateway answered them: the claims API of
 * libs/claims (docs/claims-submission.md "API": `GET /claims`, `GET /claims/{encounterId}`,
 * `POST /claims/{encounterId}/resend`), and the patients' names from one FHIR search.
 */
import { api, type Bundle, humanName, resources } from '../api';
import { withTimeout } from '../doctor/icd10';
import { localHalf } from '../shell/error-codes';

export type ClaimStatus = 'queued' | 'sending' | 'accepted' | 'rejected' | 'invalid' | 'failed';
export type CheckInStatus = ClaimStatus | 'not-applicable';
export type SubmissionOutcome = 'sending' | 'accepted' | 'rejected' | 'transient' | 'unknown';

export interface ClaimReason {
  field?: string;
  message: string;
}

/** One claim of `GET /claims`. */
export interface ClaimView {
  /** `Encounter/<id>` */
  encounter: string;
  /** `Patient/<id>` */
  patient?: string;
  maLk?: string;
  facilityCode?: string;
  status: ClaimStatus;
  /** Why a queued claim waits (no gateway configured). */
  waiting?: string;
  attempts: number;
  lastError?: string;
  reasons: ClaimReason[];
  finishedAt: string;
  updatedAt: string;
  correctableUntil: string;
}

/** `GET /claims/{encounterId}`. */
export interface ClaimDetail extends ClaimView {
  checkIn?: {
    status: CheckInStatus;
    attempts: number;
    startedAt: string;
    documentSha256?: string;
    reasons: ClaimReason[];
    note?: string;
    transactionId?: string;
    updatedAt: string;
  };
  submissions: {
    attempt: number;
    sentAt: string;
    outcome: SubmissionOutcome;
    envelopeSha256: string;
    httpStatus?: number;
    answeredAt?: string;
    transactionId?: string;
    message?: string;
  }[];
}

/** A request on a weak link taking longer than this is given up and offered again (a retry button). */
export const CLAIMS_TIMEOUT_MS = 20_000;

/** The list's filters: what a clerk looks for. */
export type ClaimFilter = 'all' | 'attention' | 'waiting' | 'accepted';
export const CLAIM_FILTERS: readonly ClaimFilter[] = ['all', 'attention', 'waiting', 'accepted'];
const GROUPS: Record<Exclude<ClaimFilter, 'all'>, readonly ClaimStatus[]> = {
  attention: ['rejected', 'invalid', 'failed'],
  waiting: ['queued', 'sending'],
  accepted: ['accepted'],
};

export const isClaimFilter = (v: string | null | undefined): v is ClaimFilter =>
  !!v && (CLAIM_FILTERS as readonly string[]).includes(v);

export const inFilter = (c: Pick<ClaimView, 'status'>, f: ClaimFilter): boolean =>
  f === 'all' || GROUPS[f].includes(c.status);

/** Newest visit first (the server sends them so; kept whatever order arrives). */
export const newestFirst = <T extends Pick<ClaimView, 'finishedAt'>>(claims: readonly T[]): T[] =>
  [...claims].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt));

/** The id of a `Type/id` reference. */
export const idOf = (ref: string | undefined): string => (ref ?? '').replace(/^[A-Za-z]+\//, '');

/** The detail's address of a claim. */
export const claimHref = (c: Pick<ClaimView, 'encounter'>): string =>
  `/station/claims/${encodeURIComponent(idOf(c.encounter))}`;

/** Its reasons are shown (each with its field) when the gateway refused it or it could not be made. */
export const showsReasons = (c: Pick<ClaimView, 'status'>): boolean =>
  c.status === 'rejected' || c.status === 'invalid';

/** A claim may be sent again once it is not waiting or being sent, until its correction deadline. */
export const canResend = (
  c: Pick<ClaimView, 'status' | 'correctableUntil'>,
  now: Date = new Date(),
): boolean =>
  c.status !== 'queued' && c.status !== 'sending' && now.getTime() <= Date.parse(c.correctableUntil);

export const inProgress = (c: Pick<ClaimView, 'status'>): boolean =>
  c.status === 'queued' || c.status === 'sending';

/** A reason in the reader's language ("tiếng Việt / English" texts are split). */
export const reasonText = (r: ClaimReason, lang: string): string => localHalf(r.message, lang);

/** The server's note that no gateway is configured (the portal says it in its own words). */
export const notConfigured = (note: string | undefined): boolean => !!note && /not configured/i.test(note);

type Named = { id?: string; name?: { text?: string; family?: string; given?: string[] }[] };

/** Something to say beside the status: reasons, why it failed, or why it waits unsent. */
export const hasNote = (c: ClaimView): boolean =>
  (showsReasons(c) && c.reasons.length > 0) ||
  c.status === 'failed' ||
  (c.status === 'queued' && notConfigured(c.waiting ?? c.lastError));

/** Above this, the ids go in a form body (`POST _search`) rather than the address: still one search. */
const MAX_QUERY = 3000;

/**
 * The names of `patients` (`Patient/<id>` or ids) by id, from ONE search
 * (`GET /fhir/Patient?_id=a,b,c&_elements=name`); a name that cannot be read (no access, no name, a
 * failed or slow search) is simply absent, and the caller shows the id.
 */
export async function patientNames(patients: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const ids = [...new Set(patients.map(idOf).filter((id) => id !== ''))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const params = { _id: ids.join(','), _elements: 'name', _count: String(Math.min(ids.length, 1000)) };
  try {
    const q = new URLSearchParams(params);
    const bundle = await withTimeout(
      (signal) =>
        params._id.length > MAX_QUERY
          ? api<Bundle<Named>>('/fhir/Patient/_search', { method: 'POST', body: q, signal })
          : api<Bundle<Named>>(
              // The ids' commas stay commas (`_id=a,b,c`): FHIR ids need no escaping.
              `/fhir/Patient?_id=${ids.map(encodeURIComponent).join(',')}&_elements=name&_count=${params._count}`,
              { signal },
            ),
      undefined,
      CLAIMS_TIMEOUT_MS,
    );
    for (const p of resources(bundle)) {
      const name = humanName(p);
      if (p.id && name) names.set(p.id, name);
    }
  } catch {
    // Names are a help, not the list: the ids stand in.
  }
  return names;
}

export interface ClaimsPage {
  claims: ClaimView[];
  names: Map<string, string>;
}

/** The facility's claims (at most 500, newest first) and their patients' names. */
export async function loadClaims(): Promise<ClaimsPage> {
  const claims = await withTimeout(
    (signal) => api<ClaimView[]>('/claims', { signal }),
    undefined,
    CLAIMS_TIMEOUT_MS,
  );
  const names = await patientNames(claims.map((c) => c.patient));
  return { claims: newestFirst(claims), names };
}

export interface ClaimPage {
  claim: ClaimDetail;
  name?: string;
}

/** One claim with its check-in and submissions, and its patient's name. */
export async function loadClaim(encounterId: string, knownName?: string): Promise<ClaimPage> {
  const claim = await withTimeout(
    (signal) => api<ClaimDetail>(`/claims/${encodeURIComponent(encounterId)}`, { signal }),
    undefined,
    CLAIMS_TIMEOUT_MS,
  );
  const name = knownName ?? (await patientNames([claim.patient])).get(idOf(claim.patient));
  return { claim, ...(name ? { name } : {}) };
}

/** Sends the claim again (202 with the claim, `queued`). */
export function resendClaim(encounterId: string): Promise<ClaimView> {
  return withTimeout(
    (signal) =>
      api<ClaimView>(`/claims/${encodeURIComponent(encounterId)}/resend`, { method: 'POST', signal }),
    undefined,
    CLAIMS_TIMEOUT_MS,
  );
}

/** The badge colours of a status; the badge always says the status in words too. */
export const CLAIM_STATUS_STYLE: Record<
  CheckInStatus,
  { color: string; background: string; border: string; mark: string }
> = {
  accepted: { color: '#1b4d1f', background: '#e8f5e9', border: '#2e7d32', mark: '✓' },
  rejected: { color: '#7a1c16', background: '#fdecea', border: '#b3261e', mark: '✕' },
  invalid: { color: '#7a1c16', background: '#fdecea', border: '#b3261e', mark: '!' },
  failed: { color: '#5c2d00', background: '#fff4e5', border: '#b45309', mark: '!' },
  queued: { color: '#1e3a5f', background: '#e8f0fb', border: '#1d4ed8', mark: '…' },
  sending: { color: '#1e3a5f', background: '#e8f0fb', border: '#1d4ed8', mark: '…' },
  'not-applicable': { color: '#374151', background: '#f3f4f6', border: '#6b7280', mark: '–' },
};
