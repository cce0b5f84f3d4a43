import { io, type Socket } from 'socket.io-client';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { PASSWORD, schedulingWorld, type SchedulingWorld } from '../support/scheduling-world';
import { ADMIN, api, createAccounts, login, startApp, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: break-glass gives temporary read access to the declared patient only; nothing done
 * under it can create a lasting relationship; it is rate-limited (BREAK_GLASS_MAX_PER_DAY, here 2)
 * and alerted to the practitioner's facility; and the patient's notice is the server's — no doctor
 * (nor anyone but a system client) changes or deletes it. Before: writes under the grant were
 * accepted, openings were unlimited and alerted nobody, and the notice could be edited or deleted
 * by whoever reached the patient.
 */
const REASON = 'Bệnh nhân bất tỉnh tại trạm y tế, cần xem tiền sử dị ứng';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('issue 16 §4: break-glass is read-only, limited, alerted, and its notice is the server’s', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const as: Record<string, Fhir> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { BREAK_GLASS_MAX_PER_DAY: '2' });
    w = await schedulingWorld(t);
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const r = await w.sys.post(String(body.resourceType), body);
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    for (const d of ['readOnly', 'limit', 'parallel', 'alert', 'notice', 'staff'])
      ids[d] = await mk({ resourceType: 'Practitioner', name: [{ family: d }] });
    // the alerted doctor works at the hospital (PractitionerRole)
    await mk({
      resourceType: 'PractitionerRole',
      practitioner: { reference: `Practitioner/${ids.alert}` },
      organization: { reference: `Organization/${w.ids.hospital}` },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        ['doc.readonly', 'practitioner', `Practitioner/${ids.readOnly}`],
        ['doc.limit', 'practitioner', `Practitioner/${ids.limit}`],
        ['doc.parallel', 'practitioner', `Practitioner/${ids.parallel}`],
        ['doc.alert', 'practitioner', `Practitioner/${ids.alert}`],
        ['doc.notice', 'practitioner', `Practitioner/${ids.notice}`],
        ['staff.hospital', 'clinic-staff', `Practitioner/${ids.staff}`, `Organization/${w.ids.hospital}`],
      ],
      PASSWORD,
    );
    for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const newPatient = async (): Promise<string> => {
    const r = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Cấp', given: ['Cứu'] }],
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const open = (by: Fhir, patient: string) =>
    by.post(`Patient/${patient}/$break-glass`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'reason', valueString: REASON }],
    });
  const db = async () => {
    const { dataSourceToken } = await import('@mekong/database');
    return t.app.get<{ query(sql: string, p?: unknown[]): Promise<Record<string, unknown>[]> }>(
      dataSourceToken('health_record'),
    );
  };

  it('reads the declared patient only, and writes nothing under the grant', async () => {
    const doc = as['doc.readonly'] as Fhir;
    const [p, q] = [await newPatient(), await newPatient()];
    expect((await open(doc, p)).status).toBe(200);
    expect({
      declared: (await doc.get(`Patient/${p}`)).status,
      other: (await doc.get(`Patient/${q}`)).status,
    }).toEqual({
      declared: 200,
      other: 404,
    });
    const patient = (await doc.get(`Patient/${p}`)).body;
    const observation = await doc.post('Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${p}` },
      valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    expect(observation.status).toBe(403);
    expect(JSON.stringify(observation.body)).toContain('read-only');
    expect((await doc.put(`Patient/${p}`, { ...patient, gender: 'female' })).status).toBe(403);
    expect((await w.sys.get(`Patient/${p}`)).body.meta).toMatchObject({ versionId: '1' });
    // nor outside the record: a waitlist entry for his own slots would later have scheduling offer
    // him the patient (a held Appointment) long after the grant
    const join = await api(t.url, 'POST', '/scheduling/waitlist', doc.token, {
      patient: `Patient/${p}`,
      practitioner: `Practitioner/${ids.readOnly}`,
    });
    expect(join.status).toBe(403);
    expect(await join.json()).toMatchObject({ code: 'BREAK_GLASS.READ_ONLY' });
    const listed = await api(t.url, 'GET', `/scheduling/waitlist?patient=Patient/${p}`, doc.token);
    expect({ status: listed.status, entries: await listed.json() }).toEqual({ status: 200, entries: [] });
  });

  it('is limited per practitioner per day: 429 throttled BREAK_GLASS.RATE_LIMITED with Retry-After, audited', async () => {
    const doc = as['doc.limit'] as Fhir;
    const ps = [await newPatient(), await newPatient(), await newPatient()];
    expect((await open(doc, ps[0]!)).status).toBe(200);
    expect((await open(doc, ps[1]!)).status).toBe(200);
    const third = await open(doc, ps[2]!);
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'throttled', details: { text: 'BREAK_GLASS.RATE_LIMITED' } }],
    });
    const retry = Number(third.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(86000);
    expect(retry).toBeLessThanOrEqual(86400);
    expect((await doc.get(`Patient/${ps[2]}`)).status).toBe(404);
    const refused = await (
      await db()
    ).query(
      `SELECT outcome, detail FROM health_record.audit_event WHERE subtype = 'break-glass' AND $1 = ANY(patient_ids)`,
      [ps[2]],
    );
    expect(refused).toEqual([{ outcome: '4', detail: 'rate-limited' }]);
    // another practitioner is not affected
    expect((await open(as['doc.readonly'] as Fhir, ps[2]!)).status).toBe(200);
  });

  it('parallel openings cannot pass the limit together', async () => {
    const doc = as['doc.parallel'] as Fhir;
    const ps = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newPatient()));
    const statuses = (await Promise.all(ps.map((p) => open(doc, p)))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429]);
  });

  it("each opening alerts the practitioner's facility once, live and durably; no one else", async () => {
    const sockets: Socket[] = [];
    const listen = async (token: string): Promise<Record<string, unknown>[]> => {
      const socket = io(`${t.url}/notifications`, { auth: { token }, transports: ['websocket'] });
      sockets.push(socket);
      const received: Record<string, unknown>[] = [];
      socket.on('notification', (n: Record<string, unknown>) => received.push(n));
      await new Promise((r) => socket.once('ready', r));
      return received;
    };
    try {
      const hospital = await listen((as['staff.hospital'] as Fhir).token);
      const station = await listen((w.as.nurse as Fhir).token);
      const p = await newPatient();
      expect((await open(as['doc.alert'] as Fhir, p)).status).toBe(200);
      for (let i = 0; i < 80 && hospital.length === 0; i++) await sleep(250);
      await sleep(500);
      expect(hospital).toEqual([
        expect.objectContaining({
          topic: 'break-glass',
          recipient: `Organization/${w.ids.hospital}`,
          about: `Practitioner/${ids.alert}`,
        }),
      ]);
      expect((hospital[0]!.text as { vi: string }).vi).toContain(`Patient/${p}`);
      expect(station.filter((n) => n.topic === 'break-glass')).toEqual([]);
      // durable: recorded with the grant, once
      const { dataSourceToken } = await import('@mekong/database');
      const notify = t.app.get<{ query(sql: string, p?: unknown[]): Promise<unknown[]> }>(
        dataSourceToken('notify'),
      );
      const rows = await notify.query(
        `SELECT recipient FROM notify.notification WHERE topic = 'break-glass' AND body->>'vi' LIKE $1`,
        [`%Patient/${p}%`],
      );
      expect(rows).toEqual([{ recipient: `Organization/${w.ids.hospital}` }]);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it("the patient's notice is written by the server and nobody else changes or deletes it", async () => {
    const doc = as['doc.notice'] as Fhir;
    const p = await newPatient();
    const opened = await open(doc, p);
    expect(opened.status).toBe(200);
    const ref = (opened.body.parameter as { name: string; valueReference?: { reference: string } }[]).find(
      (x) => x.name === 'notification',
    )!.valueReference!.reference;
    const notice = (await w.sys.get(ref)).body;
    expect(notice.meta).toMatchObject({
      versionId: '1',
      tag: [{ system: 'https://fhir.mekong.health/CodeSystem/recorded-by', code: 'system' }],
    });
    const attempts = async (by: Fhir): Promise<Record<string, number>> => {
      const current = (await w.sys.get(ref)).body;
      const changed = { ...current, payload: [{ contentString: 'Không có gì / nothing happened' }] };
      return {
        update: (await by.put(ref, changed)).status,
        patch: (
          await by.request('PATCH', ref, [{ op: 'replace', path: '/status', value: 'entered-in-error' }], {
            'Content-Type': 'application/json-patch+json',
          })
        ).status,
        delete: (await by.delete(ref)).status,
        transactionUpdate: (
          await by.post('', {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [{ resource: changed, request: { method: 'PUT', url: ref } }],
          })
        ).status,
        transactionDelete: (
          await by.post('', {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [{ request: { method: 'DELETE', url: ref } }],
          })
        ).status,
      };
    };
    const refused = { update: 403, patch: 403, delete: 403, transactionUpdate: 403, transactionDelete: 403 };
    // under the grant
    expect(await attempts(doc)).toEqual(refused);
    // the same doctor later in the patient's care (the facility adds him to the care team), and the
    // patient's own facility: still refused
    const team = await (w.as.nurse as Fhir).post('CareTeam', {
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${p}` },
      participant: [{ member: { reference: `Practitioner/${ids.notice}` } }],
    });
    expect(team.status).toBe(201);
    expect((await doc.get(ref)).status).toBe(200);
    expect(await attempts(doc)).toEqual(refused);
    expect(await attempts(w.as.nurse as Fhir)).toEqual(refused);
    const after = (await w.sys.get(ref)).body;
    expect(after.meta).toMatchObject({ versionId: '1' });
    expect(JSON.stringify(after.payload)).toContain('khẩn cấp');
  });
});
