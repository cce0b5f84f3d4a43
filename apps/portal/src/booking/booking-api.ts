/**
 * The server calls of finding and booking (docs/scheduling.md), on top of the shell's `api`.
 */
import { api, type Bundle, type FhirResource, fhir, humanName, resources } from '../api';
import {
  type Appointment,
  type DoctorInfo,
  queryString,
  type Schedule,
  type SearchCriteria,
  type Slot,
  slotSearchParams,
} from './booking-logic';

export interface Organization extends FhirResource {
  id: string;
  name?: string;
  type?: { coding?: { system?: string; code?: string }[] }[];
}

export interface PractitionerRole extends FhirResource {
  id: string;
  practitioner?: { reference?: string };
  organization?: { reference?: string };
}

type Named = FhirResource & { id: string; name?: { text?: string; family?: string; given?: string[] }[] };

/** Organization.type codes that say "hospital": v3 RoleCode HOSP, SNOMED CT 22232009 |Hospital|. */
const HOSPITAL_TYPES = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-RoleCode|HOSP',
  'http://snomed.info/sct|22232009',
]);

/** 'hospital', 'other' (typed as something else, e.g. a commune station) or undefined (no type). */
export function organizationKind(org: Organization): 'hospital' | 'other' | undefined {
  const codings = (org.type ?? []).flatMap((t) => t.coding ?? []);
  if (codings.length === 0) return undefined;
  return codings.some((c) => HOSPITAL_TYPES.has(`${c.system ?? ''}|${c.code ?? ''}`)) ? 'hospital' : 'other';
}

/**
 * The hospitals of the "Bệnh viện" filter (issue 18 item 17), by name. The Organizations the
 * project's data creates carry no `type` (hospitals and commune stations alike), so: an
 * Organization typed as a hospital is one; one typed otherwise is not; an untyped one is listed
 * when a doctor can be booked there — a PractitionerRole at it is an actor of a Schedule (every
 * role counts if the Schedules cannot be read). With no role and no typed hospital in the
 * directory nothing tells them apart, and every Organization is listed, as before.
 */
export function hospitalsOf(
  orgs: readonly Organization[],
  roles: readonly PractitionerRole[],
  scheduleActors: ReadonlySet<string> | undefined,
): Organization[] {
  const bookable = new Set(
    roles
      .filter((r) => !scheduleActors || scheduleActors.has(`PractitionerRole/${r.id}`))
      .map((r) => r.organization?.reference)
      .filter((x): x is string => !!x),
  );
  const typed = orgs.some((o) => organizationKind(o) === 'hospital');
  const list =
    bookable.size === 0 && !typed
      ? [...orgs]
      : orgs.filter((o) => {
          const kind = organizationKind(o);
          return kind === 'hospital' || (kind === undefined && bookable.has(`Organization/${o.id}`));
        });
  return list.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'vi'));
}

/** The hospitals a patient can filter the search by (see `hospitalsOf`). */
export async function loadOrganizations(): Promise<Organization[]> {
  const [orgs, roles, actors] = await Promise.all([
    fhir.search<Organization>('Organization', { _count: '200' }).then((b) => resources<Organization>(b)),
    fhir
      .search<PractitionerRole>('PractitionerRole', { _count: '500' })
      .then((b) => resources<PractitionerRole>(b))
      .catch((): PractitionerRole[] => []),
    fhir
      .search<Schedule>('Schedule', { active: 'true', _count: '500' })
      .then(
        (b) => new Set(resources<Schedule>(b).flatMap((s) => (s.actor ?? []).map((a) => a.reference ?? ''))),
      )
      .catch(() => undefined),
  ]);
  return hospitalsOf(orgs, roles, actors);
}

/** The clinicians (PractitionerRole and Practitioner references) working at an organization. */
export async function cliniciansOf(organizationId: string): Promise<string[]> {
  const roles = resources<PractitionerRole>(
    await fhir.search<PractitionerRole>('PractitionerRole', {
      organization: `Organization/${organizationId}`,
      _count: '500',
    }),
  );
  return [
    ...new Set(
      roles.flatMap((r) => [
        `PractitionerRole/${r.id}`,
        ...(r.practitioner?.reference ? [r.practitioner.reference] : []),
      ]),
    ),
  ];
}

export interface SlotPage {
  slots: Slot[];
  schedules: Map<string, Schedule>;
  next?: string;
}

/** A same-origin path for a Bundle link (the server may answer absolute URLs). */
function pathOf(url: string): string {
  const u = new URL(url, window.location.origin);
  return u.pathname + u.search;
}

function slotPage(bundle: Bundle): SlotPage {
  const all = resources(bundle, true);
  const slots = all.filter((r): r is Slot => r.resourceType === 'Slot');
  const schedules = new Map(
    all.filter((r): r is Schedule => r.resourceType === 'Schedule').map((s) => [`Schedule/${s.id}`, s]),
  );
  const next = bundle.link?.find((l) => l.relation === 'next')?.url;
  return { slots, schedules, next: next ? pathOf(next) : undefined };
}

/** Free slots for the criteria (a hospital's doctors if one is chosen), or the next page. */
export async function searchSlots(c: SearchCriteria, practitioner?: string): Promise<SlotPage> {
  let actors: string[] = practitioner ? [practitioner] : [];
  if (c.organization) {
    const atOrg = await cliniciansOf(c.organization);
    actors = practitioner ? atOrg.filter((a) => a === practitioner) : atOrg;
    if (actors.length === 0) return { slots: [], schedules: new Map() };
  }
  return slotPage(await api<Bundle>(`/fhir/Slot?${queryString(slotSearchParams(c, actors))}`));
}

export async function nextSlots(next: string): Promise<SlotPage> {
  return slotPage(await api<Bundle>(next));
}

/** Names (and hospital) of doctors given as Practitioner/… or PractitionerRole/… references. */
export async function loadDoctors(refs: readonly string[]): Promise<Map<string, DoctorInfo>> {
  const out = new Map<string, DoctorInfo>();
  const practitioners = [
    ...new Set(refs.filter((r) => r.startsWith('Practitioner/')).map((r) => r.slice(13))),
  ];
  const roles = [...new Set(refs.filter((r) => r.startsWith('PractitionerRole/')).map((r) => r.slice(17)))];
  const quiet = <T>(p: Promise<Bundle<T>>): Promise<Bundle<T> | undefined> => p.catch(() => undefined);
  const [pBundle, byPractitioner, byId] = await Promise.all([
    practitioners.length
      ? quiet(fhir.search<Named>('Practitioner', { _id: practitioners.join(',') }))
      : undefined,
    practitioners.length
      ? quiet(
          fhir.search('PractitionerRole', {
            practitioner: practitioners.map((p) => `Practitioner/${p}`).join(','),
            _include: 'PractitionerRole:organization',
          }),
        )
      : undefined,
    roles.length
      ? quiet(
          fhir.search('PractitionerRole', {
            _id: roles.join(','),
            _include: ['PractitionerRole:practitioner', 'PractitionerRole:organization'],
          }),
        )
      : undefined,
  ]);
  const all = [pBundle, byPractitioner, byId].flatMap((b) => resources(b as Bundle | undefined, true));
  const names = new Map<string, string>();
  for (const r of all)
    if (r.resourceType === 'Practitioner' || r.resourceType === 'Organization')
      names.set(
        `${r.resourceType}/${String(r.id)}`,
        r.resourceType === 'Organization' ? String((r as Organization).name ?? '') : humanName(r as Named),
      );
  for (const p of practitioners)
    out.set(`Practitioner/${p}`, { name: names.get(`Practitioner/${p}`) || undefined });
  for (const r of all.filter((x): x is PractitionerRole => x.resourceType === 'PractitionerRole')) {
    const org = names.get(r.organization?.reference ?? '') || undefined;
    const name = names.get(r.practitioner?.reference ?? '') || undefined;
    out.set(`PractitionerRole/${r.id}`, { name, organization: org });
    const p = r.practitioner?.reference;
    if (p && out.has(p) && !out.get(p)?.organization) out.set(p, { ...out.get(p), organization: org });
  }
  return out;
}

/** POST the booking with its Idempotency-Key: a retry of the same body never books twice. */
export function book(body: Appointment, idempotencyKey: string): Promise<Appointment> {
  return api<Appointment>('/fhir/Appointment', {
    method: 'POST',
    json: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function updateAppointment(a: Appointment): Promise<Appointment> {
  return fhir.update<Appointment>(a);
}

export async function loadAppointments(patientId: string): Promise<Appointment[]> {
  return resources<Appointment>(
    await fhir.search<Appointment>('Appointment', {
      patient: `Patient/${patientId}`,
      _sort: 'date',
      _count: '200',
    }),
  );
}

export interface ConsentSummary {
  id: string;
  text: string;
  date?: string;
}

/** The patient's active Consents (what staff reference when booking on their behalf). */
export async function activeConsents(patientId: string): Promise<ConsentSummary[]> {
  type Consent = FhirResource & {
    id: string;
    dateTime?: string;
    category?: { text?: string; coding?: { display?: string }[] }[];
    scope?: { text?: string; coding?: { code?: string }[] };
  };
  const list = resources<Consent>(
    await fhir.search<Consent>('Consent', {
      patient: `Patient/${patientId}`,
      status: 'active',
      _count: '50',
    }),
  );
  return list.map((c) => ({
    id: c.id,
    text:
      c.category?.[0]?.text ??
      c.category?.[0]?.coding?.[0]?.display ??
      c.scope?.text ??
      c.scope?.coding?.[0]?.code ??
      `Consent/${c.id}`,
    date: c.dateTime,
  }));
}

/** Records the patient's consent to the station booking for them (as the station's staff saw it given). */
export async function recordBookingConsent(patientId: string, text: string): Promise<string> {
  const created = await fhir.create<{ id: string }>({
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }],
    },
    category: [{ text }],
    patient: { reference: `Patient/${patientId}` },
    dateTime: new Date().toISOString(),
  });
  return created.id;
}
