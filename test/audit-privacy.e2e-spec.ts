import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { linkGuardian } from './support/guardian';
import {
  type AccountSpec,
  ADMIN,
  api,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

/**
 * Issue 16, part 3: what an outside probe found in the audit trail and the request log, replayed
 * with real accounts. Every test here failed on the code before its fix.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

interface AuditEvent {
  id: string;
  outcome: string;
  outcomeDesc?: string;
  subtype: { code: string }[];
  agent: { who: { reference?: string } }[];
  entity?: { what: { reference: string }; role?: { code: string } }[];
}

function observation(patient: string, code: string, identifier?: string): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    ...(identifier ? { identifier: [{ system: 'urn:mekong:test', value: identifier }] } : {}),
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: new Date(Date.now() - 86400000).toISOString(),
    valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** The patients an event names (entity with role 1). */
const patientsOf = (e: AuditEvent): string[] =>
  (e.entity ?? []).filter((x) => x.role?.code === '1').map((x) => x.what.reference);
const whatOf = (e: AuditEvent): string | undefined =>
  (e.entity ?? []).find((x) => x.role?.code !== '1')?.what.reference;

describe('issue 16 part 3: the audit trail and the request log', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};
  /** Everything the app's pino logger wrote (its destination is the process's stdout). */
  const logged: string[] = [];
  let stdout: jest.SpyInstance | undefined;

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  /** The audit events `viewer` sees about `patient` (newest first). */
  const trail = async (viewer: Fhir, patient: string): Promise<AuditEvent[]> => {
    const r = await viewer.get(`AuditEvent?patient=Patient/${patient}&_count=1000`);
    expect(r.status).toBe(200);
    return ((r.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
  };
  const byDoctor = (e: AuditEvent): boolean => e.agent[0]?.who.reference === `Practitioner/${ids.doctor}`;

  beforeAll(async () => {
    // Installed before the app builds its logger: pino then writes its lines through it.
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    t = await startApp(PlatformModule.register, { LOG_LEVEL: 'info' });
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.facility = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
    ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Minh'] }] });
    ids.nurse = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phan', given: ['Thảo'] }] });
    const gp = { generalPractitioner: [{ reference: `Practitioner/${ids.doctor}` }] };
    ids.A = await mk({ resourceType: 'Patient', name: [{ family: 'Nguyễn', given: ['An'] }], ...gp });
    ids.B = await mk({ resourceType: 'Patient', name: [{ family: 'Võ', given: ['Bình'] }], ...gp });
    ids.child = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Lê', given: ['Bé'] }],
      birthDate: '2025-05-01',
      managingOrganization: { reference: `Organization/${ids.facility}` },
      ...gp,
    });
    ids.mum = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Lê', given: ['Thị', 'Mai'] }],
      identifier: [{ system: CCCD, value: '092180001111' }],
      managingOrganization: { reference: `Organization/${ids.facility}` },
    });
    ids.obsA = await mk(observation(ids.A, '8867-4', 'obs-a'));
    ids.obsB = await mk(observation(ids.B, '8867-4', 'obs-b'));
    ids.obsChild = await mk(observation(ids.child, '8867-4'));
    // Two Observations, of A and of B, that one set of criteria matches (a conditional write's 412).
    await mk(observation(ids.A, '8310-5', 'pair'));
    await mk(observation(ids.B, '8310-5', 'pair'));
    const adminToken = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['patient.a', 'patient', `Patient/${ids.A}`],
      ['patient.b', 'patient', `Patient/${ids.B}`],
      ['mai.le', 'patient', `Patient/${ids.mum}`],
      ['doctor', 'practitioner', `Practitioner/${ids.doctor}`],
      ['nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.facility}`],
    ];
    const tokens = await createAccounts(t.url, adminToken, accounts, PASSWORD);
    for (const [username, token] of Object.entries(tokens)) as[username] = new Fhir(t.url, token);
    as.admin = new Fhir(t.url, adminToken);
    // The child's facility records the mother as guardian; she signs in for the child.
    ids.rp = await linkGuardian(as.nurse!, {
      child: ids.child!,
      guardian: ids.mum!,
      cccd: '092180001111',
      name: { family: 'Lê', given: ['Thị', 'Mai'] },
      reader: sys,
    });
    const forChild = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'mai.le',
      password: PASSWORD,
      patient: ids.child,
    });
    if (forChild.status !== 200) throw new Error(`token for the child: ${forChild.status}`);
    as.mumForChild = new Fhir(t.url, ((await forChild.json()) as { access_token: string }).access_token);
  }, 120000);

  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    stdout?.mockRestore();
  });

  describe('A. an event names only the viewer’s own patients', () => {
    it("a doctor's search returning A, B and a child shows A only A, B only B, the child's mother only the child", async () => {
      const search = await as.doctor!.get('Observation?code=8867-4&_count=50');
      expect(search.status).toBe(200);
      expect((search.body.entry as unknown[]).length).toBeGreaterThanOrEqual(3);

      // The administrator sees the whole event: every patient the search returned.
      const all = (await trail(as.admin!, ids.A)).find(
        (e) => byDoctor(e) && whatOf(e) === 'Observation?code,_count',
      );
      expect(all).toBeDefined();
      expect(patientsOf(all!).sort()).toEqual(
        [`Patient/${ids.A}`, `Patient/${ids.B}`, `Patient/${ids.child}`].sort(),
      );

      for (const [viewer, patient, others] of [
        ['patient.a', ids.A, [ids.B, ids.child]],
        ['patient.b', ids.B, [ids.A, ids.child]],
        ['mumForChild', ids.child, [ids.A, ids.B, ids.mum]],
      ] as const) {
        const events = await trail(as[viewer]!, patient);
        const mine = events.find((e) => e.id === all!.id);
        expect(mine).toBeDefined();
        expect(patientsOf(mine!)).toEqual([`Patient/${patient}`]);
        for (const other of others) expect(JSON.stringify(events)).not.toContain(other);
        // the same event read on its own
        const one = await as[viewer]!.get(`AuditEvent/${all!.id}`);
        expect(one.status).toBe(200);
        for (const other of others) expect(JSON.stringify(one.body)).not.toContain(other);
      }
    });

    it("asking for another patient's events finds none, not the ones shared with them", async () => {
      // A and B are both in the doctor's search: filtering by B must not tell A that.
      expect(await trail(as['patient.a']!, ids.B)).toEqual([]);
      expect(await trail(as.mumForChild!, ids.mum)).toEqual([]);
    });

    it("the guardianship's events show the mother only herself in her own trail", async () => {
      const asMum = new Fhir(t.url, (await login(t.url, 'mai.le', PASSWORD)).access_token);
      const own = await trail(asMum, ids.mum);
      const recorded = own.find((e) => whatOf(e)?.startsWith(`RelatedPerson/${ids.rp}/`));
      expect(recorded).toBeDefined();
      expect(patientsOf(recorded!)).toEqual([`Patient/${ids.mum}`]);
      expect(JSON.stringify(own)).not.toContain(ids.child);
    });
  });

  describe('B. reads that count, page through history or run inside a Bundle reach the patient', () => {
    it("A's trail shows the doctor's type history, _summary=count, _count=0 and _total reads of A's data", async () => {
      expect((await as.doctor!.get('Observation/_history')).status).toBe(200);
      const count = await as.doctor!.get('Observation?code=8867-4&_summary=count');
      expect(count.body.total).toBeGreaterThanOrEqual(3);
      expect((await as.doctor!.get('Observation?_count=0')).status).toBe(200);
      expect((await as.doctor!.get('Observation?_total=accurate&_count=1')).status).toBe(200);

      const events = (await trail(as['patient.a']!, ids.A)).filter(byDoctor);
      const seen = events.map((e) => `${e.subtype[0]!.code} ${String(whatOf(e))}`);
      expect(seen).toEqual(
        expect.arrayContaining([
          'history Observation',
          'search-type Observation?code,_summary',
          'search-type Observation?_count',
          'search-type Observation?_total,_count',
        ]),
      );
      for (const e of events) expect(patientsOf(e)).toEqual([`Patient/${ids.A}`]);
    });

    it('a GET entry of a transaction or a batch is a read of that patient’s data', async () => {
      for (const type of ['transaction', 'batch']) {
        const res = await as.doctor!.post('', {
          resourceType: 'Bundle',
          type,
          entry: [{ request: { method: 'GET', url: `Observation/${ids.obsA}` } }],
        });
        expect(res.status).toBe(200);
      }
      const reads = (await trail(as['patient.a']!, ids.A)).filter(
        (e) =>
          byDoctor(e) && e.subtype[0]!.code === 'read' && whatOf(e) === `Observation/${ids.obsA}/_history/1`,
      );
      expect(reads.length).toBe(2);
    });

    it('a conditional create that finds A’s Observation is a read of it; a 412 names what it matched', async () => {
      const before = (await trail(as['patient.a']!, ids.A)).length;
      const found = await as.doctor!.post('Observation', observation(ids.A, '8867-4', 'obs-a'), {
        'If-None-Exist': 'identifier=urn:mekong:test|obs-a',
      });
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(ids.obsA);
      const inBundle = await as.doctor!.post('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:6f0d3c1e-8a55-4d5e-9a35-0c1d2e3f4a5b',
            resource: observation(ids.A, '8867-4', 'obs-a'),
            request: { method: 'POST', url: 'Observation', ifNoneExist: 'identifier=urn:mekong:test|obs-a' },
          },
        ],
      });
      expect(inBundle.status).toBe(200);
      // Several matches: refused, but the doctor learnt they exist.
      const many = await as.doctor!.put(
        'Observation?identifier=urn:mekong:test|pair',
        observation(ids.A, '8310-5'),
      );
      expect(many.status).toBe(412);
      const manyInBundle = await as.doctor!.post('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: observation(ids.A, '8867-4'),
            request: { method: 'POST', url: 'Observation', ifNoneExist: 'identifier=urn:mekong:test|pair' },
          },
        ],
      });
      expect(manyInBundle.status).toBe(412);

      const after = await trail(as['patient.a']!, ids.A);
      const events = after.slice(0, after.length - before).filter(byDoctor);
      const reads = events.filter(
        (e) => e.subtype[0]!.code === 'read' && whatOf(e) === `Observation/${ids.obsA}/_history/1`,
      );
      expect(reads.length).toBe(2);
      const refused = events.filter((e) => e.outcome === '4' && e.outcomeDesc === '412');
      expect(refused.map(whatOf)).toEqual(['Observation?identifier', 'Observation?identifier']);
      for (const e of refused) expect(patientsOf(e)).toEqual([`Patient/${ids.A}`]);
    });
  });

  describe('C. the request log', () => {
    it('never holds a calendar feed token, in a served, an unrouted or a mistyped feed URL', async () => {
      const created = await api(t.url, 'POST', '/scheduling/calendar-feeds', as.doctor!.token);
      expect(created.status).toBe(201);
      const path = ((await created.json()) as { url: string }).url.replace('http://mekong.test', '');
      const token = /\/calendar\/([\w-]+)\.ics$/.exec(path)?.[1] as string;
      expect(token.length).toBeGreaterThanOrEqual(20);
      expect((await fetch(`${t.url}${path}`)).status).toBe(200);
      expect((await fetch(`${t.url}${path}/`)).status).toBe(200);
      await fetch(`${t.url}/Scheduling/Calendar/${token}.ics`);
      expect((await fetch(`${t.url}/scheduling/calendar/${token}`)).status).toBe(404);
      // query strings (codes, tokens, identifiers) are dropped from every line
      await fetch(`${t.url}/auth/dependents?code=${token}&refresh_token=${token}`);
      await new Promise((r) => setTimeout(r, 200)); // pino-http logs on response 'finish'
      const paths = logged
        .join('')
        .split('\n')
        .map((line) => {
          try {
            return (JSON.parse(line) as { req?: { path?: string } }).req?.path;
          } catch {
            return undefined;
          }
        })
        .filter((p): p is string => p !== undefined && /calendar\/|dependents/i.test(p));
      expect([...new Set(paths)].sort()).toEqual([
        '/Scheduling/Calendar/[redacted].ics',
        '/auth/dependents',
        '/scheduling/calendar/[redacted]',
        '/scheduling/calendar/[redacted].ics',
      ]);
      // and nowhere else in the log (messages, errors)
      expect(logged.filter((line) => line.includes(token)).length).toBe(0);
    });
  });
});
