import { dataSourceToken } from '@mekong/database';
import { HEALTH_RECORD_CONTEXT } from '@mekong/health-record';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { appointmentBody, schedulingWorld, type SchedulingWorld, slotBody } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';
import { CALM_TRIAGE, TRIAGE_QUESTIONNAIRE_URL, triageResponse } from './support/triage-fixtures';

const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

const icd10 = (code: string): Record<string, unknown>[] => [{ coding: [{ system: ICD10, code }] }];

/**
 * Proactive care items 4 and 5 (docs/care.md "Triage and eligibility"): the pre-visit triage
 * Questionnaire, its result stored as a RiskAssessment, the emergency block on remote booking and
 * the telehealth eligibility gate (Circular 30/2023/TT-BYT, Dispatch 7946/BYT-KCB).
 */
describe('care: pre-visit triage and telehealth eligibility', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let minutes = 120;
  const newSlot = async (): Promise<string> => {
    minutes += 30;
    const r = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, minutes));
    if (r.status !== 201) throw new Error(`slot: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const book = (by: Fhir, slot: string, patient: string, extra: Record<string, unknown> = {}) =>
    by.post('Appointment', appointmentBody(slot, patient, w.ids.doctor!, extra));
  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await w.sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const patient = (family: string): Promise<string> =>
    mk({ resourceType: 'Patient', name: [{ family, given: ['Thị'] }] });
  const condition = (subject: string, code: string): Promise<string> =>
    mk({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      code: { coding: [{ system: ICD10, code }] },
      subject: { reference: `Patient/${subject}` },
    });
  const encounter = (subject: string, daysAgo: number, cls = 'AMB'): Promise<string> => {
    const start = new Date(Date.now() - daysAgo * 86400000);
    return mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls },
      subject: { reference: `Patient/${subject}` },
      period: { start: start.toISOString(), end: new Date(start.getTime() + 1800000).toISOString() },
    });
  };
  const diagnostics = (body: Record<string, unknown>): string[] =>
    ((body.issue as { diagnostics?: string }[] | undefined) ?? []).map((i) => i.diagnostics ?? '');

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('serves the triage Questionnaire to patients and station staff', async () => {
    for (const who of ['patient.a', 'nurse']) {
      const r = await w.as[who]!.get('Questionnaire/mekong-previsit-triage');
      expect([who, r.status]).toEqual([who, 200]);
      expect(r.body).toMatchObject({
        url: TRIAGE_QUESTIONNAIRE_URL,
        version: '1.0.0',
        resourceType: 'Questionnaire',
      });
    }
    // Published once at startup (a restart with the same content writes no new version).
    expect((await w.sys.get('Questionnaire/mekong-previsit-triage')).body.meta).toMatchObject({
      versionId: '1',
    });
  });

  it('chest pain → emergency RiskAssessment; a video booking is refused with the 115 advice and nothing changes', async () => {
    const qr = await w.as['patient.a']!.post(
      'QuestionnaireResponse',
      triageResponse(w.ids.A!, { ...CALM_TRIAGE, 'rf-chest-pain': true }),
    );
    expect(qr.status).toBe(201);
    const qrId = qr.body.id as string;
    const ra = await w.sys.get(`RiskAssessment/triage-${qrId}`);
    expect(ra.status).toBe(200);
    expect(ra.body).toMatchObject({
      status: 'final',
      subject: { reference: `Patient/${w.ids.A}` },
      basis: [{ reference: `QuestionnaireResponse/${qrId}` }],
      prediction: [{ qualitativeRisk: { coding: [{ code: 'emergency' }] } }],
    });
    expect(JSON.stringify(ra.body.note)).toContain('triage.red-flag.chest-pain');
    // The patient sees their own triage result.
    expect((await w.as['patient.a']!.get(`RiskAssessment/triage-${qrId}`)).status).toBe(200);

    const slot = await newSlot();
    const refused = await book(w.as['patient.a']!, slot, w.ids.A!);
    expect([refused.status, refused.body.resourceType]).toEqual([422, 'OperationOutcome']);
    const text = diagnostics(refused.body).join('\n');
    expect(text).toContain('Call 115');
    expect(text).toContain('Gọi 115');
    expect(text).toContain('Chest pain');
    expect((await w.sys.get(`Slot/${slot}`)).body).toMatchObject({
      status: 'free',
      meta: { versionId: '1' },
    });
    const appts = await w.sys.get(`Appointment?slot=Slot/${slot}`);
    expect(appts.body.total ?? (appts.body.entry as unknown[] | undefined)?.length ?? 0).toBe(0);

    // The answers change (a nurse re-assesses: no chest pain): the same RiskAssessment is updated.
    const put = await w.sys.put(`QuestionnaireResponse/${qrId}`, triageResponse(w.ids.A!, CALM_TRIAGE, qrId));
    expect(put.status).toBe(200);
    const updated = await w.sys.get(`RiskAssessment/triage-${qrId}`);
    expect(updated.body).toMatchObject({
      status: 'amended',
      meta: { versionId: '2' },
      prediction: [{ qualitativeRisk: { coding: [{ code: 'routine' }] } }],
    });
    expect((await book(w.as['patient.a']!, slot, w.ids.A!)).status).toBe(201);
  });

  it('a routine triage (by the station nurse) lets the booking through', async () => {
    const qr = await w.as.nurse!.post('QuestionnaireResponse', {
      ...triageResponse(w.ids.B!),
      author: { reference: `Practitioner/${w.ids.nurse}` },
    });
    expect(qr.status).toBe(201);
    const ra = await w.sys.get(`RiskAssessment/triage-${qr.body.id as string}`);
    expect(ra.body).toMatchObject({ prediction: [{ qualitativeRisk: { coding: [{ code: 'routine' }] } }] });
    const booked = await book(w.as['patient.b']!, await newSlot(), w.ids.B!, {
      supportingInformation: [{ reference: `QuestionnaireResponse/${qr.body.id as string}` }],
    });
    expect(booked.status).toBe(201);
  });

  it('an emergency triage does not block an in-person booking', async () => {
    const p = await patient('Đỗ');
    await w.sys.post(
      'QuestionnaireResponse',
      triageResponse(p, { ...CALM_TRIAGE, 'rf-difficulty-breathing': true }),
    );
    const r = await w.as.doctor!.post('Slot', {
      ...slotBody(w.ids.schedule!, (minutes += 30)),
      serviceType: [
        { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'in-person' }] },
      ],
    });
    expect(r.status).toBe(201);
    expect((await book(w.sys, r.body.id as string, p)).status).toBe(201);
    expect((await book(w.sys, await newSlot(), p)).status).toBe(422);
  });

  describe('telehealth eligibility of a video booking', () => {
    it('an established obese patient (E66, Circular 30/2023 appendix row 1), seen in person 2 months ago → booked', async () => {
      const p = await patient('Lý');
      await condition(p, 'E66');
      await encounter(p, 60);
      await encounter(p, 5, 'VR'); // a video visit does not count as in person (and does not hurt)
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('E66.9') });
      expect([r.status, diagnostics(r.body)]).toEqual([201, []]);
      expect(r.body.status).toBe('booked');
    });

    it('the same, but never seen in person (only video visits) → 422 route in-person', async () => {
      const p = await patient('Mai');
      await condition(p, 'E66');
      await encounter(p, 30, 'VR');
      const slot = await newSlot();
      const r = await book(w.sys, slot, p, { reasonCode: icd10('E66') });
      expect(r.status).toBe(422);
      const text = diagnostics(r.body).join('\n');
      expect(text).toContain('route in-person');
      expect(text).toContain('Never seen in person');
      expect(JSON.stringify(r.body)).toContain('eligibility.first-visit.never-seen');
      expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('free');
    });

    it('a new problem (reason not among the known problems) → 422', async () => {
      const p = await patient('Hồ');
      await condition(p, 'E66');
      await encounter(p, 60);
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('E11.9') });
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.body)).toContain('eligibility.first-visit.new-problem');
      expect(diagnostics(r.body).join('\n')).toContain('E119 is a new problem');
    });

    it('a reason not on the remote-care list → 422', async () => {
      const p = await patient('Tạ');
      await condition(p, 'J45');
      await encounter(p, 60);
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('J45') });
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.body)).toContain('eligibility.condition.not-listed');
      expect(diagnostics(r.body)[0]).toContain('route in-person');
    });

    it('hypertension (I10) is no longer on the list (not an appendix row read) → 422 route in-person', async () => {
      const p = await patient('Đỗ');
      await condition(p, 'I10');
      await encounter(p, 60);
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('I10') });
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.body)).toContain('eligibility.condition.not-listed');
    });

    it('an acute listed row (J00) for a patient seen in person within 6 months → booked (LOCAL POLICY)', async () => {
      const p = await patient('Quách');
      await condition(p, 'E66');
      await encounter(p, 30);
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('J00') });
      expect([r.status, diagnostics(r.body)]).toEqual([201, []]);
    });

    it('dengue with warning signs → 422 route referral', async () => {
      const p = await patient('Vũ');
      await encounter(p, 10);
      const r = await book(w.sys, await newSlot(), p, { reasonCode: icd10('A91') });
      expect(r.status).toBe(422);
      expect(diagnostics(r.body)[0]).toContain('route referral');
    });
  });

  it('a live video booking is checked again when it is rescheduled or its reason changes; a refused change changes nothing', async () => {
    const p = await patient('Lâm');
    await condition(p, 'E66');
    await encounter(p, 60);
    const slot = await newSlot();
    const booked = await book(w.sys, slot, p, { reasonCode: icd10('E66') });
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;
    const put = (changes: Record<string, unknown>) =>
      w.sys.put(`Appointment/${id}`, { ...booked.body, start: undefined, end: undefined, ...changes });
    const unchanged = async (): Promise<void> => {
      const now = await w.sys.get(`Appointment/${id}`);
      expect([now.body.meta, now.body.slot]).toEqual([
        expect.objectContaining({ versionId: '1' }),
        [{ reference: `Slot/${slot}` }],
      ]);
      expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy');
    };

    // A new problem as the reason: not eligible for video → 422, nothing changes.
    const newProblem = await put({ reasonCode: icd10('E11.9') });
    expect(newProblem.status).toBe(422);
    expect(JSON.stringify(newProblem.body)).toContain('eligibility.first-visit.new-problem');
    await unchanged();

    // An emergency triage since: moving the video visit is refused with the 115 advice.
    await w.sys.post('QuestionnaireResponse', triageResponse(p, { ...CALM_TRIAGE, 'rf-chest-pain': true }));
    const target = await newSlot();
    const moved = await put({ slot: [{ reference: `Slot/${target}` }] });
    expect(moved.status).toBe(422);
    expect(diagnostics(moved.body).join('\n')).toContain('Call 115');
    await unchanged();
    expect((await w.sys.get(`Slot/${target}`)).body.status).toBe('free');
    // Changes the checks do not read pass (a comment), and so does cancelling.
    expect((await put({ comment: 'Mang theo sổ khám bệnh' })).status).toBe(200);
    const latest = (await w.sys.get(`Appointment/${id}`)).body;
    expect((await w.sys.put(`Appointment/${id}`, { ...latest, status: 'cancelled' })).status).toBe(200);
  });

  it('confirming a hold checks again: an emergency triage since the hold keeps it unconfirmed', async () => {
    const p = await patient('Kha');
    await condition(p, 'E66');
    await encounter(p, 60);
    const slot = await newSlot();
    const hold = await book(w.sys, slot, p, { reasonCode: icd10('E66'), status: 'pending' });
    expect(hold.status).toBe(201);
    await w.sys.post(
      'QuestionnaireResponse',
      triageResponse(p, { ...CALM_TRIAGE, 'rf-difficulty-breathing': true }),
    );
    const confirm = await w.sys.put(`Appointment/${hold.body.id as string}`, {
      ...hold.body,
      status: 'booked',
    });
    expect(confirm.status).toBe(422);
    expect(diagnostics(confirm.body).join('\n')).toContain('Call 115');
    const still = await w.sys.get(`Appointment/${hold.body.id as string}`);
    expect([still.body.status, still.body.meta]).toEqual([
      'pending',
      expect.objectContaining({ versionId: '1' }),
    ]);
    expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy-tentative');
  });

  describe('a reason outside the listed rows ("other"): pending until a practitioner confirms it', () => {
    const OTHER = [
      {
        coding: [{ system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' }],
        text: 'Mất ngủ kéo dài',
      },
    ];
    const code = (body: Record<string, unknown>): string =>
      String((body.issue as { diagnostics?: string }[] | undefined)?.[0]?.diagnostics ?? '');

    it('booked directly by the patient → 422 CARE.REASON_OTHER_NEEDS_CLINICIAN, the slot stays free', async () => {
      const slot = await newSlot();
      const r = await book(w.as['patient.b']!, slot, w.ids.B!, { reasonCode: OTHER });
      expect(r.status).toBe(422);
      expect(code(r.body)).toMatch(/^CARE\.REASON_OTHER_NEEDS_CLINICIAN: .* \/ Lý do ngoài danh mục/);
      expect(JSON.stringify(r.body)).toContain('Waiting for a doctor to confirm');
      expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('free');
    });

    it('booked as pending: held until the slot starts; the patient, station staff and an unrelated doctor cannot confirm it; the doctor of the appointment can', async () => {
      const slot = await newSlot();
      const hold = await book(w.as['patient.b']!, slot, w.ids.B!, { reasonCode: OTHER, status: 'pending' });
      expect(hold.status).toBe(201);
      const id = hold.body.id as string;
      expect(hold.body.status).toBe('pending');
      expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy-tentative');
      const rows: { hold_expires_at: Date }[] = await t.app
        .get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false })
        .query(`SELECT hold_expires_at FROM scheduling.booking WHERE appointment_id = $1`, [id]);
      expect(new Date(rows[0]!.hold_expires_at).toISOString()).toBe(hold.body.start);

      const confirm = (by: Fhir) => by.put(`Appointment/${id}`, { ...hold.body, status: 'booked' });
      const stillPending = async (): Promise<void> => {
        const now = await w.sys.get(`Appointment/${id}`);
        expect([now.body.status, now.body.meta]).toEqual([
          'pending',
          expect.objectContaining({ versionId: '1' }),
        ]);
        expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy-tentative');
      };
      const byPatient = await confirm(w.as['patient.b']!);
      expect(byPatient.status).toBe(422);
      expect(code(byPatient.body)).toContain('CARE.REASON_OTHER_NEEDS_CLINICIAN');
      await stillPending();
      const byOtherPatient = await confirm(w.as['patient.a']!);
      expect([403, 404]).toContain(byOtherPatient.status);
      await stillPending();
      const byUnrelatedDoctor = await confirm(w.as['doctor.other']!);
      expect([403, 404]).toContain(byUnrelatedDoctor.status);
      await stillPending();
      const byNurse = await confirm(w.as.nurse!);
      expect([403, 404, 422]).toContain(byNurse.status);
      await stillPending();
      const bySystem = await confirm(w.sys);
      expect(bySystem.status).toBe(422);
      await stillPending();
      const noToken = await new Fhir(t.url, '').put(`Appointment/${id}`, { ...hold.body, status: 'booked' });
      expect(noToken.status).toBe(401);
      await stillPending();

      const byDoctor = await confirm(w.as.doctor!);
      expect([byDoctor.status, byDoctor.body.status]).toEqual([200, 'booked']);
      expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy');
      const history = await w.sys.get(`Appointment/${id}/_history`);
      expect(JSON.stringify(history.body)).toContain('"versionId":"2"');
    });

    it('a reason in free text only (or none) is "other": it never skips the gate (issue 17 item 8)', async () => {
      const FREE = [{ text: 'Tái khám' }];
      for (const [by, reasonCode] of [
        [w.as['patient.b']!, FREE],
        [w.sys, FREE],
        [w.as['patient.b']!, undefined],
        // a code outside ICD-10 is not a listed row either
        [w.as['patient.b']!, [{ coding: [{ system: 'http://snomed.info/sct', code: '82272006' }] }]],
      ] as const) {
        const slot = await newSlot();
        const r = await book(by, slot, w.ids.B!, { reasonCode });
        expect([r.status, code(r.body).split(':')[0]]).toEqual([422, 'CARE.REASON_OTHER_NEEDS_CLINICIAN']);
        expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('free');
      }
      // As a request (pending): held for a doctor, like "other".
      const held = await book(w.as['patient.b']!, await newSlot(), w.ids.B!, {
        reasonCode: FREE,
        status: 'pending',
      });
      expect([held.status, held.body.status]).toEqual([201, 'pending']);
      // The doctor may book it directly.
      const byDoctor = await book(w.as.doctor!, await newSlot(), w.ids.B!, { reasonCode: FREE });
      expect([byDoctor.status, byDoctor.body.status]).toEqual([201, 'booked']);
    });

    it('the patient cannot confirm their own "other" request by dropping its code; a listed reason they are eligible for is checked as such', async () => {
      const slot = await newSlot();
      const hold = await book(w.as['patient.b']!, slot, w.ids.B!, { reasonCode: OTHER, status: 'pending' });
      expect(hold.status).toBe(201);
      const id = hold.body.id as string;
      const dropped = await w.as['patient.b']!.put(`Appointment/${id}`, {
        ...hold.body,
        status: 'booked',
        reasonCode: [{ text: 'Mất ngủ kéo dài' }],
      });
      expect([dropped.status, code(dropped.body).split(':')[0]]).toEqual([
        422,
        'CARE.REASON_OTHER_NEEDS_CLINICIAN',
      ]);
      const now = await w.sys.get(`Appointment/${id}`);
      expect([now.body.status, now.body.meta]).toEqual([
        'pending',
        expect.objectContaining({ versionId: '1' }),
      ]);
      // A listed acute row (J00) for B, seen in person a month ago (the world): the eligibility rule decides.
      const listed = await w.as['patient.b']!.put(`Appointment/${id}`, {
        ...hold.body,
        status: 'booked',
        reasonCode: icd10('J00'),
      });
      expect([listed.status, listed.body.status]).toEqual([200, 'booked']);
    });

    it('the doctor may book an "other" reason directly (their confirmation at booking)', async () => {
      // B is the doctor's patient through the booking of the routine-triage test above.
      const r = await book(w.as.doctor!, await newSlot(), w.ids.B!, { reasonCode: OTHER });
      expect([r.status, r.body.status, diagnostics(r.body)]).toEqual([201, 'booked', []]);
    });
  });

  it('a restart with the same Questionnaire writes no new version', async () => {
    await t.close();
    t = await startApp(PlatformModule.register, {}, t.db);
    const r = await new Fhir(t.url, w.sys.token).get('Questionnaire/mekong-previsit-triage');
    expect([r.status, (r.body.meta as { versionId?: string }).versionId]).toEqual([200, '1']);
  });
});
