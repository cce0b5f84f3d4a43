import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  appointmentBody,
  PASSWORD,
  schedulingWorld,
  type SchedulingWorld,
  slotBody,
} from './support/scheduling-world';
import { ADMIN, api, createAccounts, login, startApp, type TestApp } from './support/test-app';
import { triageResponse } from './support/triage-fixtures';

/**
 * Issue 17 item 10 (docs/care.md § Duty roster, § The alert's workflow): every NEWS2 alert reaches
 * someone on duty — the recording station and the doctor its referral hospital has on call then;
 * with nobody on call the station is told so and the hospital's staff are alerted. An alert stays
 * open until a doctor acknowledges it, escalates once when nobody does (durable job, survives a
 * restart), makes triage at least urgent and blocks a video booking until a doctor overrides.
 */
const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';
const ESCALATE_MINUTES = 0.25; // 15 s

/**
 * The station's vitals form's transaction for NEWS2 13, by hand from RCP Chart 1: RR 26 → 3 ·
 * SpO2 90 % (Scale 1) → 3 · oxygen 2 L/min → 2 · SBP 105 → 1 · pulse 115 → 2 · Alert → 0 ·
 * 39.5 °C → 2 (response: emergency).
 */
function thirteen(patient: string, at: Date): Record<string, unknown> {
  const q = (value: number, unit: string) => ({
    value,
    unit,
    system: 'http://unitsofmeasure.org',
    code: unit,
  });
  const obs = (code: string, value: Record<string, unknown>): Record<string, unknown> => ({
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: at.toISOString(),
    ...value,
  });
  const entries = [
    obs('9279-1', { valueQuantity: q(26, '/min') }),
    obs('59408-5', { valueQuantity: q(90, '%') }),
    obs('3151-8', { valueQuantity: q(2, 'L/min') }),
    obs('85354-9', {
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
          valueQuantity: q(105, 'mm[Hg]'),
        },
        {
          code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
          valueQuantity: q(70, 'mm[Hg]'),
        },
      ],
    }),
    obs('8867-4', { valueQuantity: q(115, '/min') }),
    obs('67775-7', {
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008' }], text: 'A' },
    }),
    obs('8310-5', { valueQuantity: q(39.5, 'Cel') }),
  ];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((resource) => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource,
      request: { method: 'POST', url: 'Observation' },
    })),
  };
}

type Json = Record<string, unknown>;
const entries = (b: Json): Json[] => ((b.entry ?? []) as { resource: Json }[]).map((e) => e.resource);

describe('care: NEWS2 alerts reach whoever is on duty (issue 17 item 10)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let tok: Record<string, string>;
  let hospital: string;
  let station: string;
  let minutes = 24 * 60;

  const call = async (who: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await api(t.url, method, path, who ? tok[who] : undefined, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json & Json[] };
  };
  const shift = (extra: Json = {}): Json => ({
    practitioner: `Practitioner/${w.ids.doctor}`,
    facility: hospital,
    covers: [hospital, station],
    start: new Date(Date.now() - 3600_000).toISOString(),
    end: new Date(Date.now() + 12 * 3600_000).toISOString(),
    ...extra,
  });
  /** A patient just registered by the station nurse (no doctor, no appointment). */
  const register = async (family: string): Promise<string> => {
    const r = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family, given: ['Văn Mới'] }],
      birthDate: '1950-07-07',
      managingOrganization: { reference: station },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  /**
   * The alerts addressed to `recipient` about `patient` (Communications, read by the system client:
   * a hospital's on-call doctor or staff may have no access to a station's patient's record; they
   * read the alert in-app, live and in GET /care/alerts).
   */
  const inbox = async (recipient: string, patient: string): Promise<Json[]> =>
    entries(
      (await w.sys.get(`Communication?recipient=${recipient}&category=alert&subject=Patient/${patient}`))
        .body,
    );
  const bookTomorrow = async (patient: string) => {
    const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, (minutes += 30)));
    expect(slot.status).toBe(201);
    // Requested by the hospital's system (a nurse booking on the patient's behalf needs a Consent);
    // a new patient's reason in words is "other": a request the doctor confirms (issue 17 item 8).
    return w.sys.post(
      'Appointment',
      appointmentBody(slot.body.id as string, patient, w.ids.doctor!, {
        reasonCode: [{ text: 'Khó thở, mệt' }],
        status: 'pending',
      }),
    );
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      JOB_POLL_SECONDS: '0.5',
      NEWS2_ESCALATE_MINUTES: String(ESCALATE_MINUTES),
    });
    w = await schedulingWorld(t);
    hospital = `Organization/${w.ids.hospital}`;
    station = `Organization/${w.ids.station}`;
    // The station's referral hospital: Organization.partOf.
    const put = await w.sys.put(`Organization/${w.ids.station}`, {
      resourceType: 'Organization',
      id: w.ids.station,
      name: 'Trạm Y tế xã An Bình',
      partOf: { reference: hospital },
    });
    if (put.status !== 200) throw new Error(`partOf: ${put.status} ${JSON.stringify(put.body)}`);
    const hospitalNurse = (
      await w.sys.post('Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Hồ' }] })
    ).body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    tok = await createAccounts(
      t.url,
      admin,
      [['staff.h', 'clinic-staff', `Practitioner/${hospitalNurse}`, hospital]],
      PASSWORD,
    );
    for (const [k, v] of Object.entries(w.as)) tok[k] = v.token;
    tok.admin = admin;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  describe('the duty roster', () => {
    it('the hospital’s staff put their doctor on call for the hospital and its station; everyone clinical reads it', async () => {
      const created = await call('staff.h', 'POST', '/care/duty-roster', shift({ note: 'Trực đêm' }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        facility: hospital,
        practitioner: `Practitioner/${w.ids.doctor}`,
        covers: [hospital, station].sort(),
        note: 'Trực đêm',
      });
      const id = created.body.id as string;
      for (const who of ['nurse', 'doctor', 'staff.h', 'admin']) {
        const r = await call(who, 'GET', `/care/duty-roster?facility=${station}`);
        expect({ who, status: r.status }).toEqual({ who, status: 200 });
        expect(r.body.map((s) => s.id)).toContain(id);
      }
      // An administrator edits any facility's rows; the row keeps its facility.
      const moved = await call('admin', 'PUT', `/care/duty-roster/${id}`, shift({ covers: [station] }));
      expect(moved).toMatchObject({ status: 200, body: { covers: [station] } });
      expect((await call('staff.h', 'PUT', `/care/duty-roster/${id}`, shift())).status).toBe(200);
    });

    it('refuses the wrong editor, a doctor of another facility, coverage outside the facility, a bad period, bad input', async () => {
      const row = (await call('staff.h', 'POST', '/care/duty-roster', shift())).body.id as string;
      const before = JSON.stringify(
        (await call('staff.h', 'GET', `/care/duty-roster?facility=${hospital}`)).body,
      );
      // The station's nurse cannot write the hospital's roster, nor change or delete its rows.
      const asStation = await call('nurse', 'POST', '/care/duty-roster', shift());
      expect(asStation).toMatchObject({ status: 403, body: { code: 'CARE.ROSTER_NOT_YOUR_FACILITY' } });
      expect((asStation.body as Json).message).toMatch(/Only the facility.*Chỉ nhân viên/);
      expect((await call('nurse', 'PUT', `/care/duty-roster/${row}`, shift())).status).toBe(403);
      expect((await call('nurse', 'DELETE', `/care/duty-roster/${row}`)).status).toBe(403);
      // Doctors and patients do not edit rosters; no token, no roster.
      expect((await call('doctor', 'POST', '/care/duty-roster', shift())).status).toBe(403);
      expect((await call('patient.a', 'GET', `/care/duty-roster?facility=${hospital}`)).status).toBe(403);
      expect((await call(undefined, 'GET', `/care/duty-roster?facility=${hospital}`)).status).toBe(401);
      expect(
        JSON.stringify((await call('staff.h', 'GET', `/care/duty-roster?facility=${hospital}`)).body),
      ).toBe(before);
      // A practitioner without a PractitionerRole at the facility cannot be put on call there.
      expect(
        await call(
          'staff.h',
          'POST',
          '/care/duty-roster',
          shift({ practitioner: `Practitioner/${w.ids.other}` }),
        ),
      ).toMatchObject({ status: 422, body: { code: 'CARE.ROSTER_NOT_AFFILIATED' } });
      // Coverage: the facility and its own stations only.
      const elsewhere = (
        await w.sys.post('Organization', { resourceType: 'Organization', name: 'Trạm khác' })
      ).body.id as string;
      expect(
        await call('staff.h', 'POST', '/care/duty-roster', shift({ covers: [`Organization/${elsewhere}`] })),
      ).toMatchObject({ status: 422, body: { code: 'CARE.ROSTER_BAD_COVERAGE' } });
      const now = Date.now();
      expect(
        await call(
          'staff.h',
          'POST',
          '/care/duty-roster',
          shift({ start: new Date(now).toISOString(), end: new Date(now - 1).toISOString() }),
        ),
      ).toMatchObject({ status: 422, body: { code: 'CARE.ROSTER_BAD_PERIOD' } });
      expect(
        await call(
          'staff.h',
          'POST',
          '/care/duty-roster',
          shift({ start: new Date(now).toISOString(), end: new Date(now + 8 * 86400_000).toISOString() }),
        ),
      ).toMatchObject({ status: 422, body: { code: 'CARE.ROSTER_BAD_PERIOD' } });
      for (const bad of [
        shift({ facility: 'Organization' }),
        shift({ covers: [] }),
        shift({ start: 'tomorrow' }),
        shift({ extra: 1 }),
      ])
        expect((await call('staff.h', 'POST', '/care/duty-roster', bad)).status).toBe(400);
      expect((await call('staff.h', 'PUT', '/care/duty-roster/not-a-uuid', shift())).status).toBe(400);
      expect((await call('staff.h', 'DELETE', `/care/duty-roster/${randomUUID()}`)).status).toBe(404);
      expect((await call('staff.h', 'DELETE', `/care/duty-roster/${row}`)).status).toBe(204);
    });
  });

  describe('the issue’s scenario: a new patient, NEWS2 13 saved by the station nurse', () => {
    let patient: string;
    let alertId: string;

    it('the on-call doctor and the station are alerted at once; the station is told who was called', async () => {
      patient = await register('Trần');
      // The on-call doctor's notifications socket (in-app, live).
      const socket = io(`${t.url}/notifications`, { auth: { token: tok.doctor }, transports: ['websocket'] });
      const live: Json[] = [];
      socket.on('notification', (n: Json) => live.push(n));
      await new Promise((r) => socket.once('ready', r));
      const at = new Date(Date.now() - 30_000);
      try {
        expect((await w.as.nurse!.post('', thirteen(patient, at))).status).toBe(200);
        for (let i = 0; i < 60 && live.length === 0; i++) await sleep(250);
      } finally {
        socket.close();
      }
      expect(live).toHaveLength(1);
      expect(live[0]).toMatchObject({
        topic: 'news2-alert',
        recipient: `Practitioner/${w.ids.doctor}`,
        subject: `Patient/${patient}`,
      });
      expect((live[0]!.text as { en: string }).en).toMatch(/NEWS2 early warning score = 13.*call 115/);
      const score = entries(
        (await w.as.nurse!.get(`Observation?patient=Patient/${patient}&code=${NEWS2_CODE}`)).body,
      )[0]!;
      expect(score.valueInteger).toBe(13);

      const toDoctor = await inbox(`Practitioner/${w.ids.doctor}`, patient);
      expect(toDoctor).toHaveLength(1);
      expect(textOf(toDoctor[0]!)).toMatch(/NEWS2 = 13.*gọi 115/);
      const toStation = await inbox(station, patient);
      expect(toStation).toHaveLength(1);
      expect(textOf(toStation[0]!)).toContain('Đã báo bác sĩ trực: Trần Minh');
      expect(textOf(toStation[0]!)).toContain('On-call doctor alerted: Trần Minh');
      // Someone was on duty: the hospital's staff are not disturbed.
      expect(await inbox(hospital, patient)).toEqual([]);

      // Open in both inboxes, with who was told.
      const mine = await call('doctor', 'GET', '/care/alerts');
      expect(mine.status).toBe(200);
      const alert = mine.body.find((a) => a.patientId === patient)!;
      expect(alert).toMatchObject({
        status: 'open',
        score: 13,
        response: 'emergency',
        facility: station,
        hospital,
        onCall: [`Practitioner/${w.ids.doctor}`],
        patient: { id: patient, name: 'Trần Văn Mới' },
      });
      alertId = alert.id as string;
      const stationList = await call('nurse', 'GET', '/care/alerts');
      expect(stationList.body.map((a) => a.id)).toContain(alertId);
      // Not shown to a doctor who was not told, nor to another facility's staff.
      expect((await call('doctor.other', 'GET', '/care/alerts')).body).toEqual([]);
      expect((await call('staff.h', 'GET', '/care/alerts')).body.map((a) => a.id)).not.toContain(alertId);
      expect((await call('patient.b', 'GET', '/care/alerts')).status).toBe(403);
    });

    it('the pre-visit triage of that patient is not routine (at least urgent, with the alert as reason)', async () => {
      const qr = await w.as.nurse!.post('QuestionnaireResponse', triageResponse(patient));
      expect(qr.status).toBe(201);
      const ra = await w.sys.get(`RiskAssessment/triage-${qr.body.id as string}`);
      expect(ra.body).toMatchObject({ prediction: [{ qualitativeRisk: { coding: [{ code: 'urgent' }] } }] });
      expect(JSON.stringify(ra.body.note)).toContain('triage.news2-active-alert');
      // The same answers for a patient without an alert: routine.
      const calm = await w.sys.post('QuestionnaireResponse', triageResponse(w.ids.A!));
      expect((await w.sys.get(`RiskAssessment/triage-${calm.body.id as string}`)).body).toMatchObject({
        prediction: [{ qualitativeRisk: { coding: [{ code: 'routine' }] } }],
      });
    });

    it('a routine video booking for tomorrow is refused (coded, vi/en) until a doctor overrides; acknowledgement is the doctor’s, once', async () => {
      const refused = await bookTomorrow(patient);
      expect(refused.status).toBe(422);
      const issue = (refused.body.issue as { diagnostics: string; details: { text: string } }[])[0]!;
      expect(issue.details.text).toMatch(/^CARE\.NEWS2_ALERT_ACTIVE Flag\//);
      expect(issue.diagnostics).toContain('active NEWS2 alert 13');
      expect(issue.diagnostics).toContain('Người bệnh đang có cảnh báo NEWS2 13');

      // The station nurse cannot close it (a doctor must); a doctor who was not told cannot see it.
      expect(await call('nurse', 'POST', `/care/alerts/${alertId}/acknowledge`)).toMatchObject({
        status: 403,
        body: { code: 'CARE.ALERT_DOCTOR_ONLY' },
      });
      const hidden = await call('doctor.other', 'POST', `/care/alerts/${alertId}/acknowledge`);
      const missing = await call('doctor.other', 'POST', `/care/alerts/${randomUUID()}/acknowledge`);
      expect(hidden).toMatchObject({ status: 404, body: { code: 'CARE.ALERT_NOT_FOUND' } });
      expect(missing.status).toBe(404);
      expect(
        await call('doctor.other', 'POST', `/care/alerts/${alertId}/booking-override`, { reason: 'ổn định' }),
      ).toMatchObject({
        status: 404,
      });

      const acked = await call('doctor', 'POST', `/care/alerts/${alertId}/acknowledge`);
      expect(acked).toMatchObject({
        status: 200,
        body: { status: 'acknowledged', acknowledgedBy: `Practitioner/${w.ids.doctor}` },
      });
      expect(Date.parse(acked.body.acknowledgedAt as unknown as string)).toBeGreaterThan(Date.now() - 60_000);
      expect(await call('doctor', 'POST', `/care/alerts/${alertId}/acknowledge`)).toMatchObject({
        status: 409,
        body: { code: 'CARE.ALERT_ALREADY_ACKNOWLEDGED' },
      });
      expect((await call('nurse', 'GET', '/care/alerts')).body.map((a) => a.id)).not.toContain(alertId);
      expect((await call('nurse', 'GET', '/care/alerts?status=all')).body.map((a) => a.id)).toContain(
        alertId,
      );
      // Acknowledged is not cleared: still refused until the override.
      expect((await bookTomorrow(patient)).status).toBe(422);

      expect(
        (await call('doctor', 'POST', `/care/alerts/${alertId}/booking-override`, { reason: '' })).status,
      ).toBe(400);
      const override = await call('doctor', 'POST', `/care/alerts/${alertId}/booking-override`, {
        reason: 'Đã khám qua điện thoại, ổn định; hẹn video ngày mai',
      });
      expect(override).toMatchObject({
        status: 200,
        body: {
          override: {
            by: `Practitioner/${w.ids.doctor}`,
            reason: 'Đã khám qua điện thoại, ổn định; hẹn video ngày mai',
          },
        },
      });
      expect((await bookTomorrow(patient)).status).toBe(201);
    });

    it('an alert acknowledged in time is not escalated', async () => {
      await sleep(ESCALATE_MINUTES * 60_000 + 3000);
      const row = (await call('doctor', 'GET', '/care/alerts?status=all')).body.find(
        (a) => a.id === alertId,
      )!;
      expect(row.escalatedAt).toBeUndefined();
      const escalations = entries(
        (await w.sys.get(`Communication?subject=Patient/${patient}&category=alert`)).body,
      ).filter((c) => textOf(c).includes('not acknowledged'));
      expect(escalations).toEqual([]);
    });
  });

  it('nobody on call: the station is told so, the referral hospital’s staff are alerted, and an unacknowledged alert escalates once', async () => {
    // The roster has nobody on call for the station any more.
    for (const s of (await call('staff.h', 'GET', `/care/duty-roster?facility=${station}`)).body)
      expect((await call('staff.h', 'DELETE', `/care/duty-roster/${s.id as string}`)).status).toBe(204);
    const patient = await register('Lý');
    expect((await w.as.nurse!.post('', thirteen(patient, new Date(Date.now() - 10_000)))).status).toBe(200);
    const toStation = await inbox(station, patient);
    expect(toStation).toHaveLength(1);
    expect(textOf(toStation[0]!)).toContain('KHÔNG có bác sĩ trực cho cơ sở này lúc này');
    expect(textOf(toStation[0]!)).toContain('NO doctor is on call for this facility now');
    expect(await inbox(hospital, patient)).toHaveLength(1);
    expect(await inbox(`Practitioner/${w.ids.doctor}`, patient)).toEqual([]);
    const alert = (await call('staff.h', 'GET', '/care/alerts')).body.find((a) => a.patientId === patient)!;
    expect(alert).toMatchObject({ status: 'open', onCall: [], notified: [hospital, station].sort() });

    // Unacknowledged after NEWS2_ESCALATE_MINUTES: escalated once, to the hospital's staff and the station.
    let escalated: Json | undefined;
    for (let i = 0; i < 120 && !escalated?.escalatedAt; i++) {
      await sleep(500);
      escalated = (await call('staff.h', 'GET', '/care/alerts')).body.find((a) => a.id === alert.id);
    }
    expect(escalated).toMatchObject({ status: 'open', escalatedTo: [hospital, station].sort() });
    await sleep(3000);
    const escalations = (await inbox(hospital, patient)).filter((c) =>
      textOf(c).includes('not acknowledged by a doctor'),
    );
    expect(escalations).toHaveLength(1);
    expect(textOf(escalations[0]!)).toMatch(/chưa có bác sĩ xác nhận/);
    expect(
      (await inbox(station, patient)).filter((c) => textOf(c).includes('not acknowledged')),
    ).toHaveLength(1);
  });

  it('rejects a bad NEWS2_ESCALATE_MINUTES at boot, naming the variable', async () => {
    const { loadConfig } = await import('@mekong/common');
    for (const bad of ['0', 'abc', '1441'])
      expect(() => loadConfig({ NEWS2_ESCALATE_MINUTES: bad })).toThrow(/NEWS2_ESCALATE_MINUTES/);
    expect(loadConfig({}).care.news2EscalateMinutes).toBe(15);
  });
});

describe('care: a NEWS2 escalation survives a restart', () => {
  it('raised, the server stops before the escalation is due, and after restart it is sent once', async () => {
    const env = { JOB_POLL_SECONDS: '0.5', NEWS2_ESCALATE_MINUTES: '0.1' };
    let t = await startApp(PlatformModule.register, env);
    try {
      const w = await schedulingWorld(t);
      const station = `Organization/${w.ids.station}`;
      const r = await w.as.nurse!.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Mai' }],
        birthDate: '1948-01-01',
        managingOrganization: { reference: station },
      });
      const patient = r.body.id as string;
      expect((await w.as.nurse!.post('', thirteen(patient, new Date(Date.now() - 5000)))).status).toBe(200);
      await t.close();
      await sleep(7000); // past the escalation time while nothing runs
      t = await startApp(PlatformModule.register, env, t.db);
      const nurse = new Fhir(t.url, (await login(t.url, 'nurse', PASSWORD)).access_token);
      let found: Json[] = [];
      for (let i = 0; i < 120 && found.length === 0; i++) {
        await sleep(500);
        found = entries(
          (await nurse.get(`Communication?recipient=${station}&category=alert&subject=Patient/${patient}`))
            .body,
        ).filter((c) => textOf(c).includes('not acknowledged'));
      }
      expect(found).toHaveLength(1);
      // No referral hospital recorded for this station: the alert said so.
      const first = entries(
        (await nurse.get(`Communication?recipient=${station}&category=alert&subject=Patient/${patient}`))
          .body,
      ).find((c) => !textOf(c).includes('not acknowledged'))!;
      expect(textOf(first)).toContain('no referral hospital is recorded');
    } finally {
      await t.close();
      await t.db.drop();
    }
  });
});

const textOf = (c: Json): string =>
  ((c.payload as { contentString?: string }[]) ?? []).map((p) => p.contentString).join(' ');
