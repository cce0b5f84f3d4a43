import { AccessService, SYSTEM_REASONS } from '@mekong/health-record';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { ADMIN, createAccounts, login, startApp, systemToken, type TestApp } from '../support/test-app';

/**
 * Issue 16 §2, one way into the record: every call names who it is for. What the server does on its
 * own (a NEWS2 score derived from vitals) is audited under its named reason, in the patient's own
 * trail; a user's request computes its access context once, and that context never changes — a
 * Patient the request registers is reached through a new context, in the same transaction or in a
 * batch's later entries, and by nobody else.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';

const vital = (patient: string, code: string, value: number, unit: string, at: string) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: LOINC, code }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: at,
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
});

interface AuditEventLike {
  agent?: { who?: { identifier?: { value?: string } }; type?: unknown }[];
  entity?: { what?: { reference?: string; display?: string } }[];
}

describe('issue 16 §2: the record port — named system reasons, an immutable access context', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Record<string, unknown>): Promise<string> =>
      (await sys.post(String(body.resourceType), body)).body.id as string;
    ids.org = await mk({ resourceType: 'Organization', name: 'Trạm Y tế Phong Điền' });
    ids.other = await mk({ resourceType: 'Organization', name: 'Trạm Y tế Cờ Đỏ' });
    ids.nurse = await mk({ resourceType: 'Practitioner' });
    ids.otherNurse = await mk({ resourceType: 'Practitioner' });
    ids.patient = await mk({
      resourceType: 'Patient',
      birthDate: '1958-03-01',
      managingOrganization: { reference: `Organization/${ids.org}` },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        ['port.patient', 'patient', `Patient/${ids.patient}`],
        ['port.nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.org}`],
        ['other.nurse', 'clinic-staff', `Practitioner/${ids.otherNurse}`, `Organization/${ids.other}`],
      ],
      PASSWORD,
    );
    for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('the server’s own NEWS2 write and reads are in the patient’s trail under their named reason', async () => {
    const at = '2026-11-30T08:00:00+07:00';
    for (const [code, value, unit] of [
      ['9279-1', 26, '/min'],
      ['59408-5', 90, '%'],
      ['8867-4', 125, '/min'],
    ] as const) {
      expect(
        (await as['port.nurse']!.post('Observation', vital(ids.patient!, code, value, unit, at))).status,
      ).toBe(201);
    }
    const trail = await as['port.patient']!.get(`AuditEvent?patient=Patient/${ids.patient}&_count=200`);
    expect(trail.status).toBe(200);
    const events = ((trail.body.entry as { resource: AuditEventLike }[] | undefined) ?? []).map(
      (e) => e.resource,
    );
    const agents = events.flatMap((e) => (e.agent ?? []).map((a) => a.who?.identifier?.value));
    // The derived score and its Flag are written by the server, under care's reason — named, not anonymous.
    expect(agents).toContain(`system:${SYSTEM_REASONS.news2}`);
    // Every server-side event names a reason from the closed list.
    const named = new Set(Object.values(SYSTEM_REASONS).map((r) => `system:${r}`));
    for (const a of agents.filter((x) => x?.startsWith('system:'))) expect(named.has(a as string)).toBe(true);
  });

  it('an access context is frozen: registering a Patient yields a new one, the first is unchanged', async () => {
    const access = t.app.get(AccessService);
    const principal = {
      subject: 'x',
      role: 'clinic-staff' as const,
      scopes: ['user/*.cruds'],
      organization: `Organization/${ids.org}`,
      fhirUser: `Practitioner/${ids.nurse}`,
    };
    const ctx = await access.contextFor(principal as never);
    expect(Object.isFrozen(ctx)).toBe(true);
    const before = ctx.canReachPatient('new-patient-id');
    const next = ctx.withRegistered('new-patient-id');
    expect(next).not.toBe(ctx);
    expect(next.canReachPatient('new-patient-id')).toBe(true);
    expect(ctx.canReachPatient('new-patient-id')).toBe(before);
  });

  it('a transaction registers a patient and records their vitals; a batch’s later entry reaches the patient its earlier entry registered', async () => {
    const nurse = as['port.nurse']!;
    const tx = await nurse.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:8f2a4c1e-0000-4000-8000-000000000001',
          resource: {
            resourceType: 'Patient',
            birthDate: '1990-05-05',
            managingOrganization: { reference: `Organization/${ids.org}` },
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            ...vital('placeholder', '8867-4', 80, '/min', '2026-12-01'),
            subject: { reference: 'urn:uuid:8f2a4c1e-0000-4000-8000-000000000001' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect({ status: tx.status, body: tx.status === 200 ? undefined : tx.body }).toEqual({
      status: 200,
      body: undefined,
    });
    const registered = String(
      ((tx.body.entry as { response: { location: string } }[])[0]?.response.location ?? '').split('/')[5],
    );
    expect((await nurse.get(`Patient/${registered}`)).status).toBe(200);

    // A batch: entry 1 registers, entry 2 (its own transaction) records for that patient.
    const first = await nurse.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            id: 'port-batch-patient',
            birthDate: '1991-06-06',
            managingOrganization: { reference: `Organization/${ids.org}` },
          },
          request: { method: 'PUT', url: 'Patient/port-batch-patient' },
        },
        {
          resource: vital('port-batch-patient', '8867-4', 82, '/min', '2026-12-01'),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(first.status).toBe(200);
    const statuses = (first.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
    expect(statuses).toEqual(['201 Created', '201 Created']);

    // The other facility's nurse reaches neither new patient.
    expect((await as['other.nurse']!.get(`Patient/${registered}`)).status).toBe(404);
    expect((await as['other.nurse']!.get('Patient/port-batch-patient')).status).toBe(404);
  });
});
