import { PlatformModule } from '../../apps/platform/src/platform.module';
import type { Fhir } from '../support/fhir-client';
import {
  appointmentBody,
  schedulingWorld,
  slotBody,
  type SchedulingWorld,
} from '../support/scheduling-world';
import { startApp, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: every fact that grants a practitioner a patient's record — CareTeam membership, being
 * the general practitioner, an Encounter, an Appointment — counts only when written by someone
 * entitled to grant it and with its full meaning. Before, a doctor who reached a patient for a
 * moment (a Consent, break-glass) could write himself into a CareTeam, make himself the general
 * practitioner or record an Encounter with himself, and keep the record after that moment ended.
 * The intruder here is `doctor.other`; the patients are the station's (`nurse` is its staff).
 */
describe('issue 16 §4: facts that grant access count only from entitled writers', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let minutes = 600;
  let other: Fhir;
  let nurse: Fhir;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    w = await schedulingWorld(t);
    other = w.as['doctor.other'] as Fhir;
    nurse = w.as.nurse as Fhir;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const facility = (): { reference: string } => ({ reference: `Organization/${w.ids.station}` });
  const newPatient = async (managedBy = facility()): Promise<string> => {
    const r = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Đặng', given: ['Thu'] }],
      managingOrganization: managedBy,
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const reads = async (by: Fhir, patient: string): Promise<number> =>
    (await by.get(`Patient/${patient}`)).status;
  const careTeam = (patient: string, member: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'CareTeam',
    status: 'active',
    subject: { reference: `Patient/${patient}` },
    participant: [{ member: { reference: `Practitioner/${member}` } }],
    ...extra,
  });
  const encounter = (patient: string, practitioner: string, status = 'finished') => ({
    resourceType: 'Encounter',
    status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patient}` },
    participant: [{ individual: { reference: `Practitioner/${practitioner}` } }],
    period: { start: new Date(Date.now() - 3600_000).toISOString(), end: new Date().toISOString() },
  });
  const consent = (patient: string, actor: string) => ({
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    provision: { type: 'permit', actor: [{ role: { text: 'xem hồ sơ' }, reference: { reference: actor } }] },
  });
  /** A free slot of the intruder's own schedule. */
  const hisSlot = async (): Promise<string> => {
    minutes += 30;
    const s = await other.post('Slot', slotBody(w.ids.otherSchedule!, minutes));
    expect(s.status).toBe(201);
    return s.body.id as string;
  };

  it('legitimate facts still grant access: the facility records the care team and the general practitioner', async () => {
    const p = await newPatient();
    expect(await reads(other, p)).toBe(404);
    const team = await nurse.post('CareTeam', careTeam(p, w.ids.other!));
    expect(team.status).toBe(201);
    expect(await reads(other, p)).toBe(200);
    // a team whose period has ended no longer relates
    const ended = { ...team.body, period: { start: '2025-01-01', end: '2025-06-30' } };
    expect((await nurse.put(`CareTeam/${String(team.body.id)}`, ended)).status).toBe(200);
    expect(await reads(other, p)).toBe(404);

    const q = await newPatient();
    const patient = (await w.sys.get(`Patient/${q}`)).body;
    const withGp = { ...patient, generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }] };
    expect((await nurse.put(`Patient/${q}`, withGp)).status).toBe(200);
    expect(await reads(other, q)).toBe(200);
    // the general practitioner editing another element keeps the link (it was the facility's)
    const current = (await other.get(`Patient/${q}`)).body;
    expect(
      (await other.put(`Patient/${q}`, { ...current, telecom: [{ system: 'phone', value: '0901234567' }] }))
        .status,
    ).toBe(200);
    expect(await reads(other, q)).toBe(200);
  });

  it("a doctor in a patient's record for a while cannot make it last: no CareTeam, no GP, no self-written Encounter or Appointment", async () => {
    const p = await newPatient();
    const grant = await w.sys.post('Consent', consent(p, `Practitioner/${w.ids.other}`));
    expect(grant.status).toBe(201);
    expect(await reads(other, p)).toBe(200);

    // CareTeam with himself, himself as general practitioner: refused
    expect((await other.post('CareTeam', careTeam(p, w.ids.other!))).status).toBe(403);
    const patient = (await other.get(`Patient/${p}`)).body;
    const gp = { ...patient, generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }] };
    expect((await other.put(`Patient/${p}`, gp)).status).toBe(403);
    // the same through a transaction entry
    const bundle = await other.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: careTeam(p, w.ids.other!), request: { method: 'POST', url: 'CareTeam' } }],
    });
    expect(bundle.status).toBe(403);
    // an Encounter and an Appointment he records with himself are recorded, and grant him nothing
    expect((await other.post('Encounter', encounter(p, w.ids.other!, 'in-progress'))).status).toBe(201);
    const booked = await other.post(
      'Appointment',
      appointmentBody(await hisSlot(), p, w.ids.other!, { reasonCode: [{ text: 'Tái khám' }] }),
    );
    expect(booked.status).toBe(201);

    // the patient's grant ends: so does his access
    expect(
      (await w.sys.put(`Consent/${String(grant.body.id)}`, { ...grant.body, status: 'inactive' })).status,
    ).toBe(200);
    expect(await reads(other, p)).toBe(404);
  });

  it('staff of another facility, or a forged recorded-by tag, grant nothing', async () => {
    // a patient managed by the hospital; the station's nurse reaches her through a Consent only
    const h = await newPatient({ reference: `Organization/${w.ids.hospital}` });
    expect((await w.sys.post('Consent', consent(h, `Organization/${w.ids.station}`))).status).toBe(201);
    expect(await reads(nurse, h)).toBe(200);
    expect((await nurse.post('CareTeam', careTeam(h, w.ids.other!))).status).toBe(201);
    expect((await nurse.post('Encounter', encounter(h, w.ids.other!))).status).toBe(201);
    const patient = (await w.sys.get(`Patient/${h}`)).body;
    expect(
      (
        await nurse.put(`Patient/${h}`, {
          ...patient,
          generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }],
        })
      ).status,
    ).toBe(403);
    expect(await reads(other, h)).toBe(404);

    // the recorded-by tag is the server's: an Encounter claiming `system` is re-tagged, and counts
    // for nobody it names once the doctor's own grant ends
    const p = await newPatient();
    const grant = await w.sys.post('Consent', consent(p, `Practitioner/${w.ids.other}`));
    const forged = {
      ...encounter(p, w.ids.other!),
      meta: { tag: [{ system: 'https://fhir.mekong.health/CodeSystem/recorded-by', code: 'system' }] },
    };
    const written = await other.post('Encounter', forged);
    expect(written.status).toBe(201);
    expect(JSON.stringify(written.body.meta)).toContain('"code":"practitioner"');
    expect(
      (await w.sys.put(`Consent/${String(grant.body.id)}`, { ...grant.body, status: 'inactive' })).status,
    ).toBe(200);
    expect(await reads(other, p)).toBe(404);
    // a patient he has no relationship with: nothing can be written at all
    const unrelated = await newPatient();
    expect((await other.post('Encounter', encounter(unrelated, w.ids.other!))).status).toBe(403);
    expect((await other.post('CareTeam', careTeam(unrelated, w.ids.other!))).status).toBe(403);
    expect(await reads(other, unrelated)).toBe(404);
  });

  it('under break-glass only, nothing is written, so nothing lasts', async () => {
    const p = await newPatient();
    const opened = await other.post(`Patient/${p}/$break-glass`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'reason', valueString: 'Bệnh nhân bất tỉnh tại trạm y tế, cần xem tiền sử' }],
    });
    expect(opened.status).toBe(200);
    expect(await reads(other, p)).toBe(200);
    const patient = (await other.get(`Patient/${p}`)).body;
    const attempts = {
      careTeam: (await other.post('CareTeam', careTeam(p, w.ids.other!))).status,
      gp: (
        await other.put(`Patient/${p}`, {
          ...patient,
          generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }],
        })
      ).status,
      encounter: (await other.post('Encounter', encounter(p, w.ids.other!, 'in-progress'))).status,
      appointment: (await other.post('Appointment', appointmentBody(await hisSlot(), p, w.ids.other!)))
        .status,
      transaction: (
        await other.post('', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: encounter(p, w.ids.other!), request: { method: 'POST', url: 'Encounter' } }],
        })
      ).status,
    };
    expect(attempts).toEqual({ careTeam: 403, gp: 403, encounter: 403, appointment: 403, transaction: 403 });
    const left = await w.sys.get(`Encounter?subject=Patient/${p}`);
    expect(left.body.total ?? (left.body.entry as unknown[] | undefined)?.length ?? 0).toBe(0);
    // the grant ends: nothing relates him to her any more
    const { dataSourceToken } = await import('@mekong/database');
    const db = t.app.get<{ query(sql: string, p: unknown[]): Promise<unknown> }>(
      dataSourceToken('health_record'),
    );
    await db.query(`UPDATE health_record.break_glass SET expires_at = now() WHERE patient_id = $1`, [p]);
    expect(await reads(other, p)).toBe(404);
  });

  it('a booking relates the doctor until it is cancelled or he declines it', async () => {
    const b = w.ids.B!;
    const me = w.as['patient.b'] as Fhir;
    expect(await reads(other, b)).toBe(404);
    const booked = await me.post('Appointment', appointmentBody(await hisSlot(), b, w.ids.other!));
    expect(booked.status).toBe(201);
    expect(await reads(other, b)).toBe(200);
    const cancelled = await me.put(`Appointment/${String(booked.body.id)}`, {
      ...booked.body,
      status: 'cancelled',
      cancelationReason: { text: 'Bận việc gia đình' },
    });
    expect(cancelled.status).toBe(200);
    expect(await reads(other, b)).toBe(404);

    // a booking whose doctor has declined it no longer relates him either
    const again = await me.post('Appointment', appointmentBody(await hisSlot(), b, w.ids.other!));
    expect(again.status).toBe(201);
    expect(await reads(other, b)).toBe(200);
    const participant = (again.body.participant as { actor: { reference: string } }[]).map((x) =>
      x.actor.reference === `Practitioner/${w.ids.other}` ? { ...x, status: 'declined' } : x,
    );
    expect(
      (await other.put(`Appointment/${String(again.body.id)}`, { ...again.body, participant })).status,
    ).toBe(200);
    expect(await reads(other, b)).toBe(404);
  });

  it('the doctor confirming a patient\'s "other" request stays related; adding himself to someone else\'s booking relates him to nothing', async () => {
    const b = w.ids.B!;
    const me = w.as['patient.b'] as Fhir;
    expect(await reads(other, b)).toBe(404);
    const request = await me.post(
      'Appointment',
      appointmentBody(await hisSlot(), b, w.ids.other!, {
        status: 'pending',
        reasonCode: [
          { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' }] },
        ],
      }),
    );
    expect(request.status).toBe(201);
    expect(await reads(other, b)).toBe(200);
    const confirmed = await other.put(`Appointment/${String(request.body.id)}`, {
      ...request.body,
      status: 'booked',
    });
    expect([confirmed.status, confirmed.body.status]).toEqual([200, 'booked']);
    // His own confirmation does not end the relationship the patient's request made.
    expect(await reads(other, b)).toBe(200);
    const day = String(request.body.start).slice(0, 10);
    const search = await other.get(`Appointment?actor=Practitioner/${w.ids.other}&date=${day}`);
    expect(JSON.stringify(search.body)).toContain(String(request.body.id));
    // Cancelling it ends it, as before.
    expect(
      (
        await me.put(`Appointment/${String(request.body.id)}`, {
          ...confirmed.body,
          status: 'cancelled',
          cancelationReason: { text: 'Đã khỏi' },
        })
      ).status,
    ).toBe(200);
    expect(await reads(other, b)).toBe(404);

    // A's booking is with the main doctor. The intruder, let in for a while by a Consent, adds
    // himself to it; when the Consent ends, the booking relates him to nothing (no entitled
    // writer's version names him).
    const a = w.ids.A!;
    const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, (minutes += 30)));
    const hers = await (w.as['patient.a'] as Fhir).post(
      'Appointment',
      appointmentBody(slot.body.id as string, a, w.ids.doctor!),
    );
    expect(hers.status).toBe(201);
    const grant = await w.sys.post('Consent', consent(a, `Practitioner/${w.ids.other}`));
    expect(await reads(other, a)).toBe(200);
    const added = await other.put(`Appointment/${String(hers.body.id)}`, {
      ...hers.body,
      participant: [
        ...(hers.body.participant as unknown[]),
        { actor: { reference: `Practitioner/${w.ids.other}` }, status: 'accepted' },
      ],
    });
    expect(added.status).toBe(200);
    expect(
      (await w.sys.put(`Consent/${String(grant.body.id)}`, { ...grant.body, status: 'inactive' })).status,
    ).toBe(200);
    expect(await reads(other, a)).toBe(404);
  });
});
