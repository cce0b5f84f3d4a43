import { DateTime } from 'luxon';
import { appointmentBody, type SchedulingWorld, slotBody } from './scheduling-world';

/** The child seeded by `seedStationScreens`, as the station's screens name her. */
export const SEEDED_CHILD = 'Lâm Bảo Ngọc';

/**
 * Something on every screen of the test world, for the browser walks (phone-layout, screen-walk):
 * a child of the station 2 months old (vaccines due this month), a video visit with the doctor
 * tomorrow for `visitor` (default patient B), and patient A's heart rate on each of `heartRates`
 * ([days ago, bpm]; the record's chart gets a dated axis).
 */
export async function seedStationScreens(
  w: SchedulingWorld,
  o: { visitor?: string; heartRates?: readonly (readonly [number, number])[] } = {},
): Promise<void> {
  const born = DateTime.now().setZone('Asia/Ho_Chi_Minh').minus({ months: 2, days: 3 });
  const kid = await w.as.nurse!.post('Patient', {
    resourceType: 'Patient',
    name: [{ family: 'Lâm', given: ['Bảo', 'Ngọc'] }],
    birthDate: born.toISODate(),
    managingOrganization: { reference: `Organization/${w.ids.station}` },
  });
  if (kid.status !== 201) throw new Error(`child: ${kid.status}`);
  const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, 26 * 60, 20));
  if (slot.status !== 201) throw new Error(`slot: ${slot.status}`);
  const appt = await w.sys.post(
    'Appointment',
    appointmentBody(String(slot.body.id), o.visitor ?? w.ids.B!, w.ids.doctor!),
  );
  if (appt.status !== 201) throw new Error(`appointment: ${appt.status} ${JSON.stringify(appt.body)}`);
  for (const [days, bpm] of o.heartRates ?? [[2, 72]]) {
    const obs = await w.sys.post('Observation', {
      resourceType: 'Observation',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${w.ids.A!}` },
      effectiveDateTime: DateTime.now().minus({ days }).toISO(),
      valueQuantity: { value: bpm, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    if (obs.status !== 201) throw new Error(`observation: ${obs.status}`);
  }
}
