/**
 * Sharing the record: the Consent shape the server honours (docs/access-control.md,
 * test/access.e2e-spec.ts) — status active, scope patient-privacy, category LOINC 59284-0,
 * provision permit with `actor.reference` (a Practitioner or an Organization) and an optional
 * `provision.period`. Revoking is an update with status `inactive`.
 */
import { type FhirResource } from '../api';
import { type Reference, timeOf } from './fhir-util';

export type ActorType = 'Practitioner' | 'Organization';

export interface GrantInput {
  patientId: string;
  actorType: ActorType;
  actorId: string;
  /** The name shown for the actor (kept in the Consent so the list reads without a lookup). */
  actorDisplay?: string;
  /** First day (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
  start?: string;
  /** Last day included (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
  end?: string;
  /** When the patient agreed (defaults to now). */
  now?: Date;
}

export interface ConsentShape extends FhirResource {
  status?: string;
  dateTime?: string;
  patient?: Reference;
  policyRule?: { text?: string };
  provision?: {
    type?: string;
    period?: { start?: string; end?: string };
    actor?: { role?: { text?: string; coding?: { code?: string }[] }; reference?: Reference }[];
    data?: { meaning?: string; reference?: Reference }[];
  };
}

export const SHARE_ROLE = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'IRCP',
      display: 'information recipient',
    },
  ],
  text: 'xem hồ sơ',
};

/**
 * How long a new sharing lasts unless the patient changes it (issue 18 item 15: "no end date" was
 * the default). LOCAL POLICY: 3 months, long enough for a course of care with another doctor, short
 * enough that a forgotten sharing ends by itself; the patient may pick another end day or none.
 */
export const DEFAULT_SHARE_MONTHS = 3;

/**
 * The last day included of a sharing starting `start` (YYYY-MM-DD) that lasts `months` months:
 * 06/12/2026 → 05/03/2027; a day the target month lacks is clamped (31/01 → 30/04 − 1 = 29/04).
 */
export function defaultShareEnd(start: string, months = DEFAULT_SHARE_MONTHS): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const lastOfTarget = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  const day = new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfTarget) - 1));
  return day.toISOString().slice(0, 10);
}

/** Validation problems of a grant, as message keys (namespace `record`). */
export function grantErrors(input: Partial<GrantInput>): { actor?: string; end?: string } {
  const errors: { actor?: string; end?: string } = {};
  if (!input.actorId) errors.actor = 'sharing.errors.actor';
  if (input.start && input.end && input.end < input.start) errors.end = 'sharing.errors.endBeforeStart';
  return errors;
}

/** The Consent to POST for a grant: the days are whole days in Asia/Ho_Chi_Minh (UTC+7, no DST). */
export function buildConsent(input: GrantInput): ConsentShape {
  const period: { start?: string; end?: string } = {};
  if (input.start) period.start = `${input.start}T00:00:00+07:00`;
  if (input.end) period.end = `${input.end}T23:59:59+07:00`;
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${input.patientId}` },
    dateTime: (input.now ?? new Date()).toISOString(),
    policyRule: {
      text: 'Cho phép xem hồ sơ sức khỏe / Permission to view the health record',
    },
    provision: {
      type: 'permit',
      ...(period.start || period.end ? { period } : {}),
      actor: [
        {
          role: SHARE_ROLE,
          reference: {
            reference: `${input.actorType}/${input.actorId}`,
            ...(input.actorDisplay ? { display: input.actorDisplay } : {}),
          },
        },
      ],
    },
  };
}

/** The same Consent, revoked (PUT it back). */
export function revokedConsent(c: ConsentShape): ConsentShape {
  return { ...c, status: 'inactive' };
}

/** A Consent that shares the record with someone (it names an actor). */
export function isSharing(c: ConsentShape): boolean {
  return (c.provision?.actor ?? []).some((a) => a.reference?.reference);
}

export type ConsentState = 'active' | 'upcoming' | 'expired' | 'inactive';

/** Whether a consent gives access now, as the server decides it (status active and within the period). */
export function consentState(c: ConsentShape, now: Date = new Date()): ConsentState {
  if (c.status !== 'active') return 'inactive';
  const p = c.provision?.period;
  if (p?.end && timeOf(p.end) <= now.getTime()) return 'expired';
  if (p?.start && timeOf(p.start) > now.getTime()) return 'upcoming';
  return 'active';
}

/** Who a consent shares with. */
export function consentActors(c: ConsentShape): { type?: ActorType; reference: string; display?: string }[] {
  return (c.provision?.actor ?? [])
    .map((a) => a.reference)
    .filter((r): r is Reference & { reference: string } => Boolean(r?.reference))
    .map((r) => {
      const type = r.reference.split('/')[0];
      return {
        type: type === 'Practitioner' || type === 'Organization' ? type : undefined,
        reference: r.reference,
        display: r.display,
      };
    });
}
