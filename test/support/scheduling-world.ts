import { Fhir } from './fhir-client';
import { type AccountSpec, ADMIN, createAccounts, login, systemToken, type TestApp } from './test-app';

export const PASSWORD = 'Mat-khau-an-toan-2026';

/** A central hospital with a cardiologist, a commune station with a nurse, and two patients. */
export interface SchedulingWorld {
  readonly sys: Fhir;
  readonly ids: Record<string, string>;
  readonly as: Record<string, Fhir>;
}

export async function schedulingWorld(t: TestApp): Promise<SchedulingWorld> {
  const sys = new Fhir(t.url, await systemToken(t.url));
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};
  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  ids.hospital = await mk({ resourceType: 'Organization', name: 'Bệnh viện Chợ Rẫy' });
  ids.station = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
  ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Minh'] }] });
  ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Hoa'] }] });
  ids.nurse = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phan', given: ['Thảo'] }] });
  ids.role = await mk({
    resourceType: 'PractitionerRole',
    practitioner: { reference: `Practitioner/${ids.doctor}` },
    organization: { reference: `Organization/${ids.hospital}` },
    specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' }] }],
  });
  ids.schedule = await mk({
    resourceType: 'Schedule',
    active: true,
    actor: [{ reference: `PractitionerRole/${ids.role}` }, { reference: `Practitioner/${ids.doctor}` }],
    specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394579002' }] }],
  });
  ids.otherSchedule = await mk({
    resourceType: 'Schedule',
    active: true,
    actor: [{ reference: `Practitioner/${ids.other}` }],
  });
  ids.A = await mk({ resourceType: 'Patient', name: [{ family: 'Nguyễn', given: ['An'] }] });
  ids.B = await mk({
    resourceType: 'Patient',
    name: [{ family: 'Võ', given: ['Bình'] }],
    managingOrganization: { reference: `Organization/${ids.station}` },
  });
  // Both were seen in person at the station a month ago: a listed acute reason (the default
  // appointmentBody's J00) is then eligible for a video visit (Circular 30/2023, Dispatch 7946 rule).
  for (const p of [ids.A, ids.B]) await mk(seenInPerson(p, ids.station, 30));
  const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
  const accounts: AccountSpec[] = [
    ['patient.a', 'patient', `Patient/${ids.A}`],
    ['patient.b', 'patient', `Patient/${ids.B}`],
    ['doctor', 'practitioner', `Practitioner/${ids.doctor}`],
    ['doctor.other', 'practitioner', `Practitioner/${ids.other}`],
    ['nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.station}`],
  ];
  const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
  for (const [username, token] of Object.entries(tokens)) as[username] = new Fhir(t.url, token);
  as.admin = new Fhir(t.url, admin);
  return { sys, ids, as };
}

/** A free slot on a schedule, `minutesAhead` from now, `length` minutes long. */
export function slotBody(schedule: string, minutesAhead: number, length = 20): Record<string, unknown> {
  const start = new Date(Math.ceil((Date.now() + minutesAhead * 60000) / 60000) * 60000);
  return {
    resourceType: 'Slot',
    schedule: { reference: `Schedule/${schedule}` },
    status: 'free',
    serviceType: [
      { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'video' }] },
    ],
    start: start.toISOString(),
    end: new Date(start.getTime() + length * 60000).toISOString(),
  };
}

/** A finished in-person (AMB) visit of `patient` at `facility`, `daysAgo` days ago, naming no practitioner. */
export function seenInPerson(patient: string, facility: string, daysAgo: number): Record<string, unknown> {
  const end = new Date(Date.now() - daysAgo * 86_400_000);
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patient}` },
    serviceProvider: { reference: `Organization/${facility}` },
    period: { start: new Date(end.getTime() - 1_800_000).toISOString(), end: end.toISOString() },
  };
}

/**
 * The reason the default booking gives: Circular 30/2023 appendix row 2 (J00, acute), picked from
 * the portal's list — eligible for a patient seen in person within 6 months (the world's A and B).
 * A reason without an ICD-10 coding is "other" and waits for a doctor (docs/care.md).
 */
export const LISTED_REASON = {
  coding: [
    {
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'J00',
      display: 'Viêm mũi họng cấp (sổ mũi, đau họng)',
    },
  ],
  text: 'Sổ mũi, đau họng',
};

export function appointmentBody(
  slot: string,
  patient: string,
  practitioner: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: 'Appointment',
    status: 'booked',
    slot: [{ reference: `Slot/${slot}` }],
    reasonCode: [LISTED_REASON],
    participant: [
      { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${practitioner}` }, status: 'accepted' },
    ],
    ...extra,
  };
}

/** A free slot of `length` minutes from `start`, published by `by` (the schedule's doctor); its id. */
export async function postSlot(by: Fhir, schedule: string, start: Date, length = 20): Promise<string> {
  const r = await by.post('Slot', {
    resourceType: 'Slot',
    schedule: { reference: `Schedule/${schedule}` },
    status: 'free',
    start: start.toISOString(),
    end: new Date(start.getTime() + length * 60000).toISOString(),
  });
  if (r.status !== 201) throw new Error(`slot ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
