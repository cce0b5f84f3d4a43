import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  type AccountSpec,
  ADMIN,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

/**
 * Issue 16 part 4: a SMART token narrowed to some types (patient/Observation.rs, user/Encounter.rs)
 * gets nothing else through the request's other doors — includes (also :iterate), revincludes,
 * $everything, chains, conditional operations, Bundle entries, _summary/_elements. Each test here
 * failed on the code before (only the type in the URL was checked), except the full-scope ones.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';
const iso = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86400000).toISOString();

type Entry = {
  resource: { resourceType: string; id?: string; issue?: { code: string }[] };
  search?: { mode: string };
};
const entries = (body: Record<string, unknown>): Entry[] => (body.entry as Entry[] | undefined) ?? [];
/** `Type/id` of every returned resource, OperationOutcome entries left aside. */
const returned = (body: Record<string, unknown>): string[] =>
  entries(body)
    .filter((e) => e.search?.mode !== 'outcome')
    .map((e) => `${e.resource.resourceType}/${String(e.resource.id)}`)
    .sort();
const types = (body: Record<string, unknown>): string[] =>
  [...new Set(returned(body).map((r) => r.split('/')[0] as string))].sort();
const outcome = (body: Record<string, unknown>): Entry | undefined =>
  entries(body).find((e) => e.search?.mode === 'outcome');

describe('narrowed SMART scopes apply to everything a request returns or matches on', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const full: Record<string, Fhir> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  /** A token of `username` narrowed to `scope` (password grant). */
  const narrowed = async (username: string, scope: string): Promise<Fhir> => {
    const res = await tokenRequest(t.url, { grant_type: 'password', username, password: PASSWORD, scope });
    const body = (await res.json()) as { access_token?: string; scope?: string };
    if (!body.access_token || body.scope !== scope)
      throw new Error(`token ${scope}: ${JSON.stringify(body)}`);
    return new Fhir(t.url, body.access_token);
  };
  const observation = (encounter?: string, value = 72): Record<string, unknown> => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '8867-4' }] },
    subject: { reference: `Patient/${ids.A}` },
    ...(encounter ? { encounter: { reference: `Encounter/${encounter}` } } : {}),
    effectiveDateTime: iso(-1),
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  });

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Bác sĩ'] }] });
    ids.A = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['An'] }],
      birthDate: '1980-04-02',
    });
    ids.enc = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${ids.A}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: iso(-2), end: iso(-2) },
    });
    ids.obs = await mk(observation(ids.enc));
    ids.cond = await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${ids.A}` },
      encounter: { reference: `Encounter/${ids.enc}` },
      code: { text: 'Tăng huyết áp' },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['patient.a', 'patient', `Patient/${ids.A}`],
      ['doctor.d', 'practitioner', `Practitioner/${ids.doctor}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    for (const [username, token] of Object.entries(tokens)) full[username] = new Fhir(t.url, token);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('_include (and :iterate) leaves out types the token may not read, and says so in an outcome entry', async () => {
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs');
    const inc = await obsOnly.get('Observation?_include=Observation:subject');
    expect(inc.status).toBe(200);
    expect(returned(inc.body)).toEqual([`Observation/${ids.obs}`]);
    expect(outcome(inc.body)?.resource).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'suppressed' }],
    });
    const iterate = await obsOnly.get(
      'Observation?_include=Observation:encounter&_include:iterate=Encounter:subject&_include=Observation:subject:Patient',
    );
    expect(returned(iterate.body)).toEqual([`Observation/${ids.obs}`]);
    // _summary / _elements shape what is returned; they open nothing
    for (const shaping of ['_elements=subject', '_summary=true', '_summary=data']) {
      const r = await obsOnly.get(`Observation?_include=Observation:subject&${shaping}`);
      expect({ shaping, returned: returned(r.body) }).toEqual({
        shaping,
        returned: [`Observation/${ids.obs}`],
      });
    }
    // the practitioner's Encounter-only token: neither the Patient nor the Practitioner (directory data)
    const encOnly = await narrowed('doctor.d', 'user/Encounter.rs');
    const encInc = await encOnly.get('Encounter?_include=Encounter:subject&_include=Encounter:participant');
    expect(returned(encInc.body)).toEqual([`Encounter/${ids.enc}`]);
    expect(outcome(encInc.body)).toBeDefined();
  });

  it('_revinclude of a type the token may not read returns none of it', async () => {
    const encOnly = await narrowed('doctor.d', 'user/Encounter.rs');
    const rev = await encOnly.get(
      'Encounter?_revinclude=Observation:encounter&_revinclude=Condition:encounter',
    );
    expect(rev.status).toBe(200);
    expect(returned(rev.body)).toEqual([`Encounter/${ids.enc}`]);
    expect(outcome(rev.body)).toBeDefined();
    // :iterate from a covered type into an uncovered one: still nothing of it
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs patient/Encounter.rs');
    const it2 = await obsOnly.get(
      'Observation?_include=Observation:encounter&_revinclude:iterate=Condition:encounter',
    );
    expect(returned(it2.body)).toEqual([`Encounter/${ids.enc}`, `Observation/${ids.obs}`].sort());
  });

  it('Patient/$everything returns only the types the token may read', async () => {
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs');
    const mine = await obsOnly.get(`Patient/${ids.A}/$everything`);
    expect(mine.status).toBe(200);
    expect(types(mine.body)).toEqual(['Observation']);
    expect(outcome(mine.body)).toBeDefined();
    const asked = await obsOnly.get(
      `Patient/${ids.A}/$everything?_type=Patient,Encounter,Observation,Condition`,
    );
    expect(types(asked.body)).toEqual(['Observation']);
    // with Patient too: the Patient and the Observations, not the Encounter or the Condition
    const withPatient = await narrowed('patient.a', 'patient/Patient.rs patient/Observation.rs');
    expect(types((await withPatient.get(`Patient/${ids.A}/$everything`)).body)).toEqual([
      'Observation',
      'Patient',
    ]);
    const posted = await obsOnly.post(`Patient/${ids.A}/$everything`, {});
    expect(types(posted.body)).toEqual(['Observation']);
    const encOnly = await narrowed('doctor.d', 'user/Encounter.rs');
    const doctors = await encOnly.get(`Patient/${ids.A}/$everything`);
    expect(doctors.status).toBe(200);
    expect(returned(doctors.body)).toEqual([`Encounter/${ids.enc}`]);
    // a token that reads no type of the record: refused
    const practitionersOnly = await narrowed('doctor.d', 'user/Practitioner.rs');
    expect((await practitionersOnly.get(`Patient/${ids.A}/$everything`)).status).toBe(403);
  });

  it('a chain into a type the token may not search is refused (403), also in counts and conditional criteria', async () => {
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs');
    for (const path of [
      'Observation?subject:Patient.name=An',
      'Observation?subject.name=An',
      'Observation?subject:Patient.birthdate=1980-04-02&_summary=count',
      'Observation?encounter.status=finished&_elements=id',
      'Observation?encounter:Encounter.subject:Patient.name=An',
    ]) {
      const r = await obsOnly.get(path);
      expect({ path, status: r.status, type: r.body.resourceType }).toEqual({
        path,
        status: 403,
        type: 'OperationOutcome',
      });
    }
    const encOnly = await narrowed('doctor.d', 'user/Encounter.rs');
    expect((await encOnly.get('Encounter?subject:Patient.birthdate=1980-04-02')).status).toBe(403);
    // a chain into a type the token may search still works
    const both = await narrowed('patient.a', 'patient/Observation.rs patient/Encounter.s');
    const ok = await both.get('Observation?encounter:Encounter.status=finished');
    expect(ok.status).toBe(200);
    expect(returned(ok.body)).toEqual([`Observation/${ids.obs}`]);
  });

  it('conditional create and update search their type: they need s, and their chains the chained type’s', async () => {
    const createOnly = await narrowed('patient.a', 'patient/Observation.c');
    const probe = await createOnly.post('Observation', observation(), { 'If-None-Exist': `_id=${ids.obs}` });
    expect(probe.status).toBe(403);
    const obsAll = await narrowed('patient.a', 'patient/Observation.cruds');
    const chained = await obsAll.post('Observation', observation(), {
      'If-None-Exist': 'subject:Patient.name=An',
    });
    expect(chained.status).toBe(403);
    const update = await obsAll.put('Observation?subject:Patient.birthdate=1980-04-02', observation());
    expect(update.status).toBe(403);
    const noSearch = await narrowed('patient.a', 'patient/Observation.cru');
    expect((await noSearch.put(`Observation?_id=${ids.obs}`, observation())).status).toBe(403);
    // the token may search it: the criteria match as before
    const found = await obsAll.post('Observation', observation(), { 'If-None-Exist': `_id=${ids.obs}` });
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(ids.obs);
  });

  it('Bundle entries are checked one by one: a batch refuses only the uncovered entry, a transaction all', async () => {
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs');
    const batch = await obsOnly.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Observation/${ids.obs}` } },
        { request: { method: 'GET', url: `Patient/${ids.A}` } },
        { request: { method: 'GET', url: `Encounter/${ids.enc}` } },
      ],
    });
    expect(batch.status).toBe(200);
    const statuses = (batch.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
    expect(statuses).toEqual(['200 OK', '403', '403']);
    const batchEntries = batch.body.entry as { resource?: { resourceType: string } }[];
    expect(batchEntries.filter((e) => e.resource).map((e) => e.resource?.resourceType)).toEqual([
      'Observation',
    ]);
    const tx = await obsOnly.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'GET', url: `Observation/${ids.obs}` } },
        { request: { method: 'GET', url: `Patient/${ids.A}` } },
      ],
    });
    expect(tx.status).toBe(403);
    // If-None-Exist in an entry is a search: create alone does not allow it, nor a chain into Patient
    const createOnly = await narrowed('patient.a', 'patient/Observation.crs');
    const cond = await createOnly.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: observation(),
          request: { method: 'POST', url: 'Observation', ifNoneExist: 'subject:Patient.name=An' },
        },
      ],
    });
    expect(cond.status).toBe(403);
    const writeOnly = await narrowed('patient.a', 'patient/Observation.c');
    const noSearch = await writeOnly.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: observation(),
          request: { method: 'POST', url: 'Observation', ifNoneExist: `_id=${ids.obs}` },
        },
      ],
    });
    expect(noSearch.status).toBe(403);
  });

  it('the audit trail: a token without AuditEvent scopes is refused; with them, no includes reach other types', async () => {
    const obsOnly = await narrowed('patient.a', 'patient/Observation.rs');
    expect((await obsOnly.get('AuditEvent')).status).toBe(403);
    const auditOnly = await narrowed('patient.a', 'patient/AuditEvent.rs');
    const events = await auditOnly.get(`AuditEvent?patient=${ids.A}`);
    expect(events.status).toBe(200);
    expect(types(events.body)).toEqual(['AuditEvent']);
    expect((await auditOnly.get('AuditEvent?_include=AuditEvent:entity')).status).toBe(400);
    // AuditEvent is of the patient compartment but kept apart: $everything has none to return
    const everything = await auditOnly.get(`Patient/${ids.A}/$everything`);
    expect(returned(everything.body)).toEqual([]);
  });

  it('full-scope tokens still get everything (patient and practitioner)', async () => {
    for (const who of ['patient.a', 'doctor.d']) {
      const f = full[who]!;
      const inc = await f.get(
        'Observation?_include=Observation:subject&_include=Observation:encounter&_revinclude:iterate=Condition:encounter',
      );
      expect({ who, returned: returned(inc.body) }).toEqual({
        who,
        returned: [
          `Condition/${ids.cond}`,
          `Encounter/${ids.enc}`,
          `Observation/${ids.obs}`,
          `Patient/${ids.A}`,
        ].sort(),
      });
      expect(outcome(inc.body)).toBeUndefined();
      const all = await f.get(`Patient/${ids.A}/$everything`);
      expect({ who, types: types(all.body) }).toEqual({
        who,
        types: ['Condition', 'Encounter', 'Observation', 'Patient'],
      });
      expect(outcome(all.body)).toBeUndefined();
      const chained = await f.get('Observation?subject:Patient.name=An');
      expect({ who, returned: returned(chained.body) }).toEqual({
        who,
        returned: [`Observation/${ids.obs}`],
      });
    }
  });
});
