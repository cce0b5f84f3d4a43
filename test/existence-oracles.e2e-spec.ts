import { PlatformModule } from '../apps/platform/src/platform.module';
import type { Fhir } from './support/fhir-client';
import { appointmentBody, schedulingWorld, slotBody, type SchedulingWorld } from './support/scheduling-world';
import { api, startApp, type TestApp } from './support/test-app';

/**
 * Issue 16 (part 3): what a caller may not see must answer exactly like what does not exist — same
 * status, same code, same message with only the id differing — or every write becomes a probe of
 * which ids exist. Replayed as other facility staff, another patient and an unrelated doctor; the
 * legitimate references (directory data, one's own Practitioner, patients one reaches) still pass.
 * Each refusal here answered differently for an existing and a missing target before the fix.
 */
const MISSING = 'khong-ton-tai-0001';
const LOINC = 'http://loinc.org';

type Answer = { status: number; body: Record<string, unknown> };

/** The answer with every occurrence of `id` replaced, to compare the answers for two ids. */
function shape(r: Answer, id: string): string {
  const body = { ...r.body };
  // per request: the correlation id of an error body, the id the refused resource would have had
  delete body.id;
  delete body.correlationId;
  const text = JSON.stringify(body)
    .split(id)
    .join('<id>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<new>');
  return `${r.status} ${text}`;
}

describe('issue 16: no existence oracles', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const ids: Record<string, string> = {};
  let minutes = 600;

  const observation = (patient: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '8867-4' }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: '2026-11-30T08:00:00+07:00',
    valueQuantity: { value: 76, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    ...extra,
  });
  /** Posts the same body naming `hidden` (exists, not visible to `by`) and a missing id; both answers. */
  const both = async (
    by: Fhir,
    type: string,
    body: (target: string) => Record<string, unknown>,
    hidden: string,
  ): Promise<[string, string]> => {
    const seen = await by.post(type, body(hidden));
    const missing = await by.post(type, body(MISSING));
    return [shape(seen, hidden), shape(missing, MISSING)];
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    w = await schedulingWorld(t);
    // A patient of the unrelated doctor (their general practitioner), and an Observation of A.
    const c = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Đỗ', given: ['Cúc'] }],
      generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }],
    });
    ids.C = c.body.id as string;
    ids.obsA = (await w.sys.post('Observation', observation(w.ids.A!))).body.id as string;
    ids.obsC = (await w.sys.post('Observation', observation(ids.C))).body.id as string;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('booking for a patient one may not book for answers like booking for a missing one', async () => {
    const slot = async (): Promise<string> => {
      minutes += 30;
      const r = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, minutes));
      return r.body.id as string;
    };
    for (const [who, hidden] of [
      ['patient.a', w.ids.B!], // another patient
      ['nurse', w.ids.A!], // staff of a facility that does not manage A
      ['doctor.other', w.ids.A!], // an unrelated doctor
    ] as const) {
      const s = await slot();
      const by = w.as[who]!;
      const seen = await by.post('Appointment', appointmentBody(s, hidden, w.ids.doctor!));
      const missing = await by.post('Appointment', appointmentBody(s, MISSING, w.ids.doctor!));
      expect([who, seen.status]).toEqual([who, 422]);
      expect(shape(seen, hidden)).toBe(shape(missing, MISSING));
      expect((await w.sys.get(`Slot/${s}`)).body.status).toBe('free');
    }
    // one's own booking still goes through
    expect(
      (await w.as['patient.a']!.post('Appointment', appointmentBody(await slot(), w.ids.A!, w.ids.doctor!)))
        .status,
    ).toBe(201);
  });

  it("joining a waitlist for someone else's patient answers like a missing patient", async () => {
    const join = async (who: string, patient: string): Promise<Answer> => {
      const res = await api(t.url, 'POST', '/scheduling/waitlist', w.as[who]!.token, {
        patient: `Patient/${patient}`,
        practitioner: `Practitioner/${w.ids.doctor}`,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    for (const [who, hidden] of [
      ['patient.a', w.ids.B!],
      ['nurse', w.ids.A!],
      ['doctor.other', w.ids.A!],
    ] as const) {
      const seen = await join(who, hidden);
      const missing = await join(who, MISSING);
      expect([who, seen.status]).toEqual([who, 422]);
      expect(shape(seen, hidden)).toBe(shape(missing, MISSING));
    }
    expect((await join('patient.b', w.ids.B!)).status).toBe(201);
    const list = await api(
      t.url,
      'GET',
      `/scheduling/waitlist?patient=Patient/${w.ids.A}`,
      w.as.admin!.token,
    );
    expect(list.status).toBe(403);
  });

  it('a reference to what the writer may not see is refused like a missing one (422)', async () => {
    const cases: [string, Fhir, string, (target: string) => Record<string, unknown>, string][] = [
      [
        'another patient: focus → Patient',
        w.as['patient.a']!,
        'Observation',
        (x) => observation(w.ids.A!, { focus: [{ reference: `Patient/${x}` }] }),
        w.ids.B!,
      ],
      [
        'another patient: derivedFrom → their Observation',
        w.as['patient.b']!,
        'Observation',
        (x) => observation(w.ids.B!, { derivedFrom: [{ reference: `Observation/${x}` }] }),
        ids.obsA!,
      ],
      [
        'other facility staff: focus → Patient',
        w.as.nurse!,
        'Observation',
        (x) => observation(w.ids.B!, { focus: [{ reference: `Patient/${x}` }] }),
        w.ids.A!,
      ],
      [
        'unrelated doctor: hasMember → Observation',
        w.as['doctor.other']!,
        'Observation',
        (x) => observation(ids.C!, { hasMember: [{ reference: `Observation/${x}` }] }),
        ids.obsA!,
      ],
      [
        'unrelated doctor: Binary securityContext → Observation',
        w.as['doctor.other']!,
        'Binary',
        (x) => ({
          resourceType: 'Binary',
          contentType: 'text/plain',
          data: Buffer.from('ghi chú').toString('base64'),
          securityContext: { reference: `Observation/${x}` },
        }),
        ids.obsA!,
      ],
    ];
    for (const [label, by, type, body, hidden] of cases) {
      const [seen, missing] = await both(by, type, body, hidden);
      expect([label, seen.slice(0, 3)]).toEqual([label, '422']);
      expect([label, seen]).toEqual([label, missing]);
    }
    // Nothing was written about A by anyone but the system.
    const aObs = await w.sys.get(`Observation?subject=Patient/${w.ids.A}&_total=accurate`);
    expect(aObs.body.total).toBe(1);
  });

  it('references to directory data, one’s own Practitioner and reachable patients still pass', async () => {
    const ok: [string, Fhir, Record<string, unknown>][] = [
      [
        'patient: performer → a Practitioner, focus → self',
        w.as['patient.a']!,
        observation(w.ids.A!, {
          performer: [{ reference: `Practitioner/${w.ids.doctor}` }],
          focus: [{ reference: `Patient/${w.ids.A}` }],
          derivedFrom: [{ reference: `Observation/${ids.obsA}` }],
        }),
      ],
      [
        'staff: performer → own Practitioner and Organization',
        w.as.nurse!,
        observation(w.ids.B!, {
          performer: [
            { reference: `Practitioner/${w.ids.nurse}` },
            { reference: `Organization/${w.ids.station}` },
          ],
        }),
      ],
      [
        'doctor: own patient, own Observation, own Practitioner',
        w.as['doctor.other']!,
        observation(ids.C!, {
          performer: [{ reference: `Practitioner/${w.ids.other}` }],
          hasMember: [{ reference: `Observation/${ids.obsC}` }],
        }),
      ],
    ];
    for (const [label, by, body] of ok) {
      const r = await by.post('Observation', body);
      expect([label, r.status]).toEqual([label, 201]);
    }
    // A clinic registers a patient and records vitals in one transaction (a reference to the new Patient).
    const tx = await w.as.nurse!.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:3f1c2b7a-9a43-4d2b-8f57-0e9d7c1a2b3c',
          resource: {
            resourceType: 'Patient',
            name: [{ family: 'Huỳnh', given: ['Lan'] }],
            managingOrganization: { reference: `Organization/${w.ids.station}` },
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: observation('x', {
            subject: { reference: 'urn:uuid:3f1c2b7a-9a43-4d2b-8f57-0e9d7c1a2b3c' },
            performer: [{ reference: `Practitioner/${w.ids.nurse}` }],
          }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(tx.status).toBe(200);
    // An administrator records a guardianship, naming a Patient they cannot read.
    const guardian = await w.as.admin!.post('RelatedPerson', {
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${w.ids.B}` },
      relationship: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
      ],
      name: [{ family: 'Võ', given: ['Thị Hạnh'] }],
    });
    expect(guardian.status).toBe(201);
  });

  it('deleting what one may not see answers like deleting what is not there (404), live or deleted', async () => {
    // Before: a live resource of another patient answered 404, a missing or deleted id 204.
    const gone = (await w.sys.post('Observation', observation(w.ids.A!))).body.id as string;
    expect((await w.sys.delete(`Observation/${gone}`)).status).toBe(204);
    const del = async (by: Fhir, id: string): Promise<string> =>
      shape(await by.delete(`Observation/${id}`), id);
    for (const who of ['patient.b', 'nurse', 'doctor.other'] as const) {
      const by = w.as[who]!;
      const missing = await del(by, MISSING);
      expect([who, missing]).toEqual([who, expect.stringMatching(/^404 /)]);
      expect([who, await del(by, ids.obsA!)]).toEqual([who, missing]);
      expect([who, await del(by, gone)]).toEqual([who, missing]);
      const batch = async (id: string): Promise<string> =>
        shape(
          await by.post('', {
            resourceType: 'Bundle',
            type: 'batch',
            entry: [{ request: { method: 'DELETE', url: `Observation/${id}` } }],
          }),
          id,
        );
      expect([who, await batch(ids.obsA!)]).toEqual([who, await batch(MISSING)]);
    }
    expect((await w.sys.get(`Observation/${ids.obsA}`)).status).toBe(200);
    // Deleting again stays idempotent for who could see it, and for system clients a missing id too.
    expect((await w.as['patient.a']!.delete(`Observation/${gone}`)).status).toBe(204);
    expect((await w.sys.delete(`Observation/${MISSING}`)).status).toBe(204);
  });
});
