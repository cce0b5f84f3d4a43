/** The doctor's appointments over Vietnam calendar days, with their patients' names. */
import { type FhirResource, fhir, humanName, resources } from '../api';
import type { CodeableConcept } from './fhir-text';
import { addDays, startOfDay } from './week';

export interface Appointment extends FhirResource {
  status?: string;
  start?: string;
  end?: string;
  priority?: number;
  description?: string;
  reasonCode?: CodeableConcept[];
  participant?: { actor?: { reference?: string; display?: string } }[];
}

type Person = FhirResource & Parameters<typeof humanName>[0];

export const patientRef = (a: Appointment): string | undefined =>
  a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));

/** The patient's name for a row: the included Patient's, else the participant's display. */
export const patientName = (a: Appointment, names: Map<string, string>): string | undefined => {
  const ref = patientRef(a);
  return (
    (ref && names.get(ref)) ||
    a.participant?.find((p) => p.actor?.reference === ref)?.actor?.display ||
    undefined
  );
};

/** The doctor's appointments on `days` Vietnam calendar days from `day`, with their patients. */
export async function loadDay(practitioner: string, day: string, days = 1) {
  const bundle = await fhir.search<Appointment | Person>('Appointment', {
    actor: practitioner,
    date: [`ge${startOfDay(day)}`, `lt${startOfDay(addDays(day, days))}`],
    _include: 'Appointment:patient',
    _sort: 'date',
    _count: '200',
  });
  const names = new Map<string, string>();
  for (const r of resources(bundle, true))
    if (r.resourceType === 'Patient' && r.id) names.set(`Patient/${r.id}`, humanName(r as Person));
  const appointments = resources(bundle).filter((r): r is Appointment => r.resourceType === 'Appointment');
  return { appointments, names };
}
