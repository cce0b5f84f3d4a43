import { patientCompartmentTypes, RESOURCE_TYPES } from '@mekong/fhir';
import { dataSourceToken } from '@mekong/database';
import { DIRECTORY_TYPES, HEALTH_RECORD_CONTEXT } from '@mekong/health-record';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
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
 * Issue 15: the record takeovers and data leaks an outside attacker found, each replayed as the
 * attacker did it (staff of another facility, another patient, an admin). Every test here failed on
 * the code before its fix.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';

function observation(patient: string, code = '8867-4', value = 80): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: new Date(Date.now() - 86400000).toISOString(),
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

describe('issue 15: record takeovers and leaks', () => {
  let t: TestApp;
  let sys: Fhir;
  let adminToken: string;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};
  const token: Record<string, string> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.facilityA = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
    ids.facilityB = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Long Hồ' });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phan', given: ['Y tá A'] }] });
    ids.nurseB = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Y tá B'] }] });
    ids.victim = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Võ', given: ['Bình'] }],
      birthDate: '1980-04-02',
      managingOrganization: { reference: `Organization/${ids.facilityA}` },
    });
    ids.other = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['An'] }],
      managingOrganization: { reference: `Organization/${ids.facilityB}` },
    });
    ids.victimObs = await mk(observation(ids.victim, '8867-4', 99));
    adminToken = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['staff.a', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.facilityA}`],
      ['staff.b', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.facilityB}`],
      ['patient.other', 'patient', `Patient/${ids.other}`],
    ];
    Object.assign(token, await createAccounts(t.url, adminToken, accounts, PASSWORD));
    for (const [username, tk] of Object.entries(token)) as[username] = new Fhir(t.url, tk);
    as.admin = new Fhir(t.url, adminToken);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  describe('1. clinic staff create sign-ins only for patients their facility manages', () => {
    const account = (fhirUser: string, username: string): Record<string, string> => ({
      username,
      password: PASSWORD,
      role: 'patient',
      fhirUser,
    });

    it("refuses staff of facility B an account for facility A's patient, and nothing is created", async () => {
      const res = await api(
        t.url,
        'POST',
        '/auth/accounts',
        token['staff.b'],
        account(`Patient/${ids.victim}`, 'takeover.victim'),
      );
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code?: string }).code).toBe('AUTH.PATIENT_NOT_MANAGED');
      const signIn = await tokenRequest(t.url, {
        grant_type: 'password',
        username: 'takeover.victim',
        password: PASSWORD,
      });
      expect(signIn.status).toBe(400);
      // a Patient that does not exist is refused alike (no probing which ids exist)
      const ghost = await api(
        t.url,
        'POST',
        '/auth/accounts',
        token['staff.b'],
        account('Patient/does-not-exist', 'ghost.patient'),
      );
      expect(ghost.status).toBe(403);
    });

    it('lets facility A create it, once: a second sign-in for the same Patient is refused', async () => {
      const first = await api(
        t.url,
        'POST',
        '/auth/accounts',
        token['staff.a'],
        account(`Patient/${ids.victim}`, 'binh.vo'),
      );
      expect(first.status).toBe(201);
      const created = (await first.json()) as { id: string };
      const second = await api(
        t.url,
        'POST',
        '/auth/accounts',
        token['staff.a'],
        account(`Patient/${ids.victim}`, 'binh.vo.2'),
      );
      expect(second.status).toBe(409);
      expect(((await second.json()) as { code?: string }).code).toBe('AUTH.PATIENT_HAS_ACCOUNT');
      // the admin too must first disable the existing sign-in
      const byAdmin = await api(
        t.url,
        'POST',
        '/auth/accounts',
        adminToken,
        account(`Patient/${ids.victim}`, 'binh.vo.3'),
      );
      expect(byAdmin.status).toBe(409);
      expect((await api(t.url, 'POST', `/auth/accounts/${created.id}/disable`, adminToken)).status).toBe(200);
      const replacement = await api(
        t.url,
        'POST',
        '/auth/accounts',
        token['staff.a'],
        account(`Patient/${ids.victim}`, 'binh.vo.new'),
      );
      expect(replacement.status).toBe(201);
    });

    it('lists for review the patient accounts whose Patient the creating facility does not manage', async () => {
      // made by an admin for facility B, but the Patient is facility A's (as the old bug allowed)
      await api(t.url, 'POST', '/auth/accounts', adminToken, {
        ...account(`Patient/${ids.victimObs}`, 'odd.account'),
        fhirUser: `Patient/no-such-patient`,
        organization: `Organization/${ids.facilityB}`,
      });
      const moved = await mk({
        resourceType: 'Patient',
        name: [{ family: 'Trần', given: ['Chuyển'] }],
        managingOrganization: { reference: `Organization/${ids.facilityA}` },
      });
      expect(
        (
          await api(t.url, 'POST', '/auth/accounts', adminToken, {
            ...account(`Patient/${moved}`, 'moved.patient'),
            organization: `Organization/${ids.facilityB}`,
          })
        ).status,
      ).toBe(201);
      const review = await api(t.url, 'GET', '/auth/accounts/review', adminToken);
      expect(review.status).toBe(200);
      const rows = ((await review.json()) as { accounts: Record<string, unknown>[] }).accounts;
      expect(rows.map((r) => [r.username, r.managingOrganization]).sort()).toEqual([
        ['moved.patient', `Organization/${ids.facilityA}`],
        ['odd.account', 'missing'],
      ]);
      // only administrators read it
      expect((await api(t.url, 'GET', '/auth/accounts/review', token['staff.a'])).status).toBe(403);
      expect((await api(t.url, 'GET', '/auth/accounts/review', token['patient.other'])).status).toBe(403);
      expect((await api(t.url, 'GET', '/auth/accounts/review')).status).toBe(401);
    });
  });

  describe("2. a request's reachable patients never grow during the request", () => {
    it('a transaction registering a Patient that links to the victim neither reads nor moves the victim', async () => {
      const staffB = as['staff.b'] as Fhir;
      const victimBefore = (await sys.get(`Patient/${ids.victim}`)).body;
      for (const type of ['transaction', 'batch']) {
        const res = await staffB.post('', {
          resourceType: 'Bundle',
          type,
          entry: [
            {
              fullUrl: 'urn:uuid:6c3f1e7a-0000-4000-8000-000000000001',
              resource: {
                resourceType: 'Patient',
                name: [{ family: 'Kẻ', given: ['Tấn công'] }],
                managingOrganization: { reference: `Organization/${ids.facilityB}` },
                link: [{ other: { reference: `Patient/${ids.victim}` }, type: 'seealso' }],
              },
              request: { method: 'POST', url: 'Patient' },
            },
            { request: { method: 'GET', url: `Observation/${ids.victimObs}` } },
            {
              resource: {
                ...victimBefore,
                managingOrganization: { reference: `Organization/${ids.facilityB}` },
              },
              request: { method: 'PUT', url: `Patient/${ids.victim}` },
            },
          ],
        });
        expect(JSON.stringify(res.body)).not.toContain('"value":99');
        const statuses =
          type === 'transaction'
            ? [String(res.status)]
            : (res.body.entry as { response: { status: string } }[]).map((e) =>
                e.response.status.slice(0, 3),
              );
        expect(statuses).toEqual(type === 'transaction' ? ['403'] : ['403', '404', '404']);
      }
      const victimAfter = (await sys.get(`Patient/${ids.victim}`)).body;
      expect(victimAfter.managingOrganization).toEqual({ reference: `Organization/${ids.facilityA}` });
      expect((victimAfter.meta as { versionId: string }).versionId).toBe(
        (victimBefore.meta as { versionId: string }).versionId,
      );
    });

    it('registering a new patient with vitals in one transaction still works', async () => {
      const res = await (as['staff.b'] as Fhir).post('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:6c3f1e7a-0000-4000-8000-000000000002',
            resource: {
              resourceType: 'Patient',
              name: [{ family: 'Mới', given: ['Đăng ký'] }],
              managingOrganization: { reference: `Organization/${ids.facilityB}` },
            },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: {
              ...observation('x'),
              subject: { reference: 'urn:uuid:6c3f1e7a-0000-4000-8000-000000000002' },
            },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      });
      expect(res.status).toBe(200);
    });
  });

  describe('3. a deleted result is readable only by who could read it', () => {
    it("patient A, an admin and facility B get 404 for B's deleted HIV result, by vread and every _history", async () => {
      const hiv = await mk(observation(ids.victim, '75622-1', 1));
      await sys.put(`Observation/${hiv}`, { ...observation(ids.victim, '75622-1', 2), id: hiv });
      expect((await sys.delete(`Observation/${hiv}`)).status).toBe(204);
      for (const who of ['patient.other', 'admin', 'staff.b']) {
        const c = as[who] as Fhir;
        expect({ who, status: (await c.get(`Observation/${hiv}`)).status }).toEqual({ who, status: 404 });
        for (const v of [1, 2, 3]) {
          const res = await c.get(`Observation/${hiv}/_history/${v}`);
          expect({ who, v, status: res.status }).toEqual({ who, v, status: 404 });
        }
        expect((await c.get(`Observation/${hiv}/_history`)).status).toBe(404);
        const typeHistory = await c.get('Observation/_history');
        expect(typeHistory.status).toBe(200);
        expect(JSON.stringify(typeHistory.body)).not.toContain(hiv);
        expect(JSON.stringify((await c.get('_history')).body)).not.toContain(hiv);
      }
      // the victim's own facility still sees the deletion (410) and every earlier version
      const a = as['staff.a'] as Fhir;
      expect((await a.get(`Observation/${hiv}`)).status).toBe(410);
      expect((await a.get(`Observation/${hiv}/_history/1`)).status).toBe(200);
      expect((await a.get(`Observation/${hiv}/_history/3`)).status).toBe(410);
      const own = await a.get(`Observation/${hiv}/_history`);
      expect((own.body.entry as unknown[]).length).toBe(3);
      // nor can facility B re-create it under the same id and so take its patient's data over
      const resurrect = await (as['staff.b'] as Fhir).put(`Observation/${hiv}`, {
        ...observation(ids.other, '75622-1', 3),
        id: hiv,
      });
      expect(resurrect.status).toBe(404);
    });

    it("a deleted Patient's id is never registered again: PUT, conditional PUT, transaction PUT, JSON Patch", async () => {
      // Issue 16 §4: the data, consents, accounts and audit trail still naming Patient/<id> would pass
      // to whoever wrote a new identity there. Before, the system client and the patient's own
      // account (which reaches itself) brought it back with any content (201).
      const gone = await mk({
        resourceType: 'Patient',
        name: [{ family: 'Đỗ', given: ['Hạnh'] }],
        managingOrganization: { reference: `Organization/${ids.facilityA}` },
      });
      const own = await createAccounts(
        t.url,
        adminToken,
        [['patient.gone', 'patient', `Patient/${gone}`]],
        PASSWORD,
      );
      const self = new Fhir(t.url, own['patient.gone'] as string);
      expect((await sys.delete(`Patient/${gone}`)).status).toBe(204);
      const identity = { resourceType: 'Patient', id: gone, name: [{ family: 'Mạo', given: ['Danh'] }] };
      const answers: Record<string, number[]> = {};
      for (const [who, c] of [
        ['system', sys],
        ['patient.gone', self],
        ['staff.a', as['staff.a'] as Fhir],
        ['staff.b', as['staff.b'] as Fhir],
      ] as const) {
        const put = await c.put(`Patient/${gone}`, identity);
        const conditional = await c.put('Patient?name=khong-co-ai-ten-nay', identity);
        const transaction = await c.post('', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: identity, request: { method: 'PUT', url: `Patient/${gone}` } }],
        });
        const patch = await c.request(
          'PATCH',
          `Patient/${gone}`,
          [{ op: 'add', path: '/active', value: true }],
          {
            'Content-Type': 'application/json-patch+json',
          },
        );
        answers[who] = [put.status, conditional.status, transaction.status, patch.status];
      }
      // 410 to who could read the Patient (and learns nothing new), 404 to everyone else
      expect(answers).toEqual({
        system: [410, 410, 410, 410],
        'patient.gone': [410, 410, 410, 410],
        'staff.a': [404, 404, 404, 404],
        'staff.b': [404, 404, 404, 404],
      });
      expect((await sys.get(`Patient/${gone}`)).status).toBe(410);
      expect(((await sys.get(`Patient/${gone}/_history`)).body.entry as unknown[]).length).toBe(2);
    });

    it('a version is shown only to who may see the patient it belonged to then', async () => {
      // an Observation filed under the wrong patient and moved: each patient sees only their own versions
      const moved = await mk(observation(ids.victim, '8480-6', 150));
      await sys.put(`Observation/${moved}`, { ...observation(ids.other, '8480-6', 120), id: moved });
      const other = as['patient.other'] as Fhir;
      expect((await other.get(`Observation/${moved}`)).status).toBe(200);
      expect((await other.get(`Observation/${moved}/_history/1`)).status).toBe(404);
      const hist = await other.get(`Observation/${moved}/_history`);
      expect((hist.body.entry as { resource?: { id: string } }[]).length).toBe(1);
      expect(JSON.stringify(hist.body)).not.toContain('"value":150');
    });
  });

  describe('4. Binary and Bundle follow the patient they hold; only directory types are open', () => {
    it("patient A cannot list or read B's scanned result (Binary.securityContext) nor a Bundle holding B's Condition", async () => {
      const scan = await mk({
        resourceType: 'Binary',
        contentType: 'application/pdf',
        securityContext: { reference: `Patient/${ids.victim}` },
        data: Buffer.from('%PDF-1.4 xet nghiem').toString('base64'),
      });
      const doc = await mk({
        resourceType: 'DocumentReference',
        status: 'current',
        subject: { reference: `Patient/${ids.victim}` },
        content: [{ attachment: { contentType: 'application/pdf', url: `Binary/${scan}` } }],
      });
      const viaDoc = await mk({
        resourceType: 'Binary',
        contentType: 'application/pdf',
        securityContext: { reference: `DocumentReference/${doc}` },
        data: Buffer.from('%PDF-1.4 ban sao').toString('base64'),
      });
      const condition = {
        resourceType: 'Condition',
        subject: { reference: `Patient/${ids.victim}` },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'B20' }] },
      };
      const collection = await mk({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: condition }],
      });
      const mixed = await mk({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { resource: condition },
          { resource: { ...condition, subject: { reference: `Patient/${ids.other}` } } },
        ],
      });
      const orphan = await mk({ resourceType: 'Binary', contentType: 'text/plain', data: 'YQ==' });
      const other = as['patient.other'] as Fhir;
      for (const path of [
        `Binary/${scan}`,
        `Binary/${viaDoc}`,
        `Binary/${orphan}`,
        `Bundle/${collection}`,
        `Bundle/${mixed}`,
      ]) {
        expect({ path, status: (await other.get(path)).status }).toEqual({ path, status: 404 });
      }
      for (const path of ['Binary', 'Bundle', 'Binary/_history', 'Bundle/_history']) {
        const res = await other.get(path);
        expect({
          path,
          status: res.status,
          entries: (res.body.entry as unknown[] | undefined)?.length ?? 0,
        }).toEqual({
          path,
          status: 200,
          entries: 0,
        });
      }
      // the victim's facility reads the scan and the single-patient Bundle, not the Bundle of two patients
      const a = as['staff.a'] as Fhir;
      expect((await a.get(`Binary/${scan}`)).status).toBe(200);
      expect((await a.get(`Binary/${viaDoc}`)).status).toBe(200);
      expect((await a.get(`Bundle/${collection}`)).status).toBe(200);
      expect((await a.get(`Bundle/${mixed}`)).status).toBe(404);
      expect((await a.get(`Binary/${orphan}`)).status).toBe(404);
    });
    it('every R4 type: one that belongs to no patient is readable only when it is directory data', async () => {
      const compartmentTypes = new Set(patientCompartmentTypes());
      // the allow-list holds R4 types only; of the Patient compartment's types only Schedule, whose
      // actor is a practitioner or a place unless a Patient (then it has compartments like any other)
      expect([...DIRECTORY_TYPES].filter((type) => !RESOURCE_TYPES.includes(type))).toEqual([]);
      expect([...DIRECTORY_TYPES].filter((type) => compartmentTypes.has(type))).toEqual(['Schedule']);
      for (const type of [
        'Binary',
        'Bundle',
        'Observation',
        'Linkage',
        'Contract',
        'Subscription',
        'MessageHeader',
      ])
        expect(DIRECTORY_TYPES.has(type)).toBe(false);
      // one compartment-less row of every R4 type, as a pre-fix write would have left it
      const db = t.app.get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false });
      await db.query(
        `INSERT INTO health_record.resource (resource_type, id, version_id, last_updated, deleted, content, compartments)
           SELECT ty, 'no-patient', 1, now(), false, jsonb_build_object('resourceType', ty, 'id', 'no-patient'), '{}'
             FROM unnest($1::text[]) AS ty`,
        [RESOURCE_TYPES],
      );
      await db.query(
        `INSERT INTO health_record.resource_version (resource_type, id, version_id, last_updated, deleted, content, compartments)
           SELECT resource_type, id, version_id, last_updated, deleted, content, compartments FROM health_record.resource
            WHERE id = 'no-patient'`,
      );
      const seen: Record<string, string> = {};
      for (const who of ['patient.other', 'staff.a', 'admin']) {
        for (const type of RESOURCE_TYPES) {
          const c = as[who] as Fhir;
          const read = (await c.get(`${type}/no-patient`)).status;
          const found = Fhir.ids((await c.get(`${type}?_id=no-patient`)).body).length;
          const open = DIRECTORY_TYPES.has(type);
          if (read !== (open ? 200 : 404) || found !== (open ? 1 : 0))
            seen[`${who} ${type}`] = `${read}/${found}`;
        }
      }
      expect(seen).toEqual({});
    });
  });

  describe("5. a chained search carries the caller's access to every resource it looks into", () => {
    it("Observation?_id=<mine>&focus:Patient.birthdate=… does not confirm another patient's birth date", async () => {
      const other = as['patient.other'] as Fhir;
      const probe = (
        await other.post('Observation', {
          ...observation(ids.other),
          focus: [{ reference: `Patient/${ids.victim}` }],
        })
      ).body.id as string;
      const ask = async (query: string): Promise<string[]> =>
        Fhir.ids((await other.get(`Observation?_id=${probe}&${query}`)).body);
      expect(await ask('focus:Patient.birthdate=1980-04-02')).toEqual([]);
      expect(await ask('focus:Patient.birthdate=1999-01-01')).toEqual([]);
      expect(await ask('focus:Patient.name=Võ')).toEqual([]);
      expect(await ask(`focus:Patient._id=${ids.victim}`)).toEqual([]);
      // a chain into what one may see still works
      expect(await ask(`subject:Patient._id=${ids.other}`)).toEqual([probe]);
      // _has (reverse chaining) is not supported: refused, not silently ignored
      const has = await other.get(`Patient?_has:Observation:subject:code=75622-1`);
      expect(has.status).toBe(400);
    });
  });

  describe('6. a guardianship counts only when its writer was entitled and it names the guardian', () => {
    const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
    const mother = (child: string, cccd: string): Record<string, unknown> => ({
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${child}` },
      relationship: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
      ],
      identifier: [{ system: CCCD, value: cccd }],
      name: [{ family: 'Lê', given: ['Thị', 'Mai'] }],
    });
    const dependents = async (username: string): Promise<unknown> =>
      (
        (await (
          await api(t.url, 'GET', '/auth/dependents', (await login(t.url, username, PASSWORD)).access_token)
        ).json()) as {
          dependents: { patient: string }[];
        }
      ).dependents.map((d) => d.patient);
    const childToken = (username: string, child: string): Promise<Response> =>
      tokenRequest(t.url, { grant_type: 'password', username, password: PASSWORD, patient: child });

    it("the child's facility records the real mother; forged links from another facility's records lead nowhere", async () => {
      const staffA = as['staff.a'] as Fhir;
      const staffB = as['staff.b'] as Fhir;
      const doctor = await mk({
        resourceType: 'Practitioner',
        name: [{ family: 'Trần', given: ['Bác sĩ'] }],
      });
      const child = await mk({
        resourceType: 'Patient',
        name: [{ family: 'Lê', given: ['Bé'] }],
        birthDate: '2025-05-01',
        managingOrganization: { reference: `Organization/${ids.facilityA}` },
        generalPractitioner: [{ reference: `Practitioner/${doctor}` }],
      });
      // the real mother, registered and identified by the child's facility
      const mum = (
        await staffA.post('Patient', {
          resourceType: 'Patient',
          name: [{ family: 'Lê', given: ['Thị', 'Mai'] }],
          identifier: [{ system: CCCD, value: '092180001111' }],
          managingOrganization: { reference: `Organization/${ids.facilityA}` },
        })
      ).body;
      const real = await staffA.post('RelatedPerson', mother(child, '092180001111'));
      expect(real.status).toBe(201);
      const realId = real.body.id as string;
      expect(
        (
          await staffA.put(`Patient/${String(mum.id)}`, {
            ...mum,
            link: [{ other: { reference: `RelatedPerson/${realId}` }, type: 'seealso' }],
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await api(t.url, 'POST', '/auth/accounts', token['staff.a'], {
            username: 'mai.le',
            password: PASSWORD,
            role: 'patient',
            fhirUser: `Patient/${String(mum.id)}`,
          })
        ).status,
      ).toBe(201);
      expect(await dependents('mai.le')).toEqual([child]);
      const mumForChild = await childToken('mai.le', child);
      expect(mumForChild.status).toBe(200);

      // Forgery 1: facility B registers its own "parent" linking to the real mother's RelatedPerson:
      // refused like a link to a missing one, since B may not see it (issue 16) ...
      const fakeParent = {
        resourceType: 'Patient',
        name: [{ family: 'Giả', given: ['Mạo'] }],
        managingOrganization: { reference: `Organization/${ids.facilityB}` },
        link: [{ other: { reference: `RelatedPerson/${realId}` }, type: 'seealso' }],
      };
      expect((await staffB.post('Patient', fakeParent)).status).toBe(422);
      // ... and such a link stored anyway (written before that rule; here by a system client) leads nowhere.
      const fake = await mk(fakeParent);
      expect(
        (
          await api(t.url, 'POST', '/auth/accounts', token['staff.b'], {
            username: 'fake.parent',
            password: PASSWORD,
            role: 'patient',
            fhirUser: `Patient/${fake}`,
          })
        ).status,
      ).toBe(201);
      expect(await dependents('fake.parent')).toEqual([]);
      expect((await childToken('fake.parent', child)).status).toBe(400);

      // Forgery 2: the child's doctor (who may write to the child's record) records a "mother" whose
      // CCCD facility B then gives its own Patient.
      const docAccount = await createAccounts(
        t.url,
        adminToken,
        [['child.doctor', 'practitioner', `Practitioner/${doctor}`]],
        PASSWORD,
      );
      const byDoctor = await new Fhir(t.url, docAccount['child.doctor'] as string).post(
        'RelatedPerson',
        mother(child, '092180002222'),
      );
      expect(byDoctor.status).toBe(201);
      const forgedParent = {
        resourceType: 'Patient',
        identifier: [{ system: CCCD, value: '092180002222' }],
        managingOrganization: { reference: `Organization/${ids.facilityB}` },
        link: [{ other: { reference: `RelatedPerson/${String(byDoctor.body.id)}` }, type: 'seealso' }],
      };
      expect((await staffB.post('Patient', forgedParent)).status).toBe(422);
      const forged = await mk(forgedParent);
      expect(
        (
          await api(t.url, 'POST', '/auth/accounts', token['staff.b'], {
            username: 'forged.parent',
            password: PASSWORD,
            role: 'patient',
            fhirUser: `Patient/${forged}`,
          })
        ).status,
      ).toBe(201);
      expect(await dependents('forged.parent')).toEqual([]);
      expect((await childToken('forged.parent', child)).status).toBe(400);

      // An administrator may record a guardian (and the child's facility must still identify them).
      expect((await as.admin!.post('RelatedPerson', mother(child, '092180003333'))).status).toBe(201);

      // Changing it is audited, and the family sees it in the child's "who viewed my record".
      const asMum = new Fhir(t.url, ((await mumForChild.json()) as { access_token: string }).access_token);
      const log = await asMum.get(`AuditEvent?patient=Patient/${child}`);
      expect(log.status).toBe(200);
      expect(JSON.stringify(log.body)).toContain(`RelatedPerson/${realId}/_history/1`);
      // ... and the mother in her own, as the guardian it names
      const asMumHerself = new Fhir(t.url, (await login(t.url, 'mai.le', PASSWORD)).access_token);
      const own = await asMumHerself.get(`AuditEvent?patient=Patient/${String(mum.id)}`);
      expect(JSON.stringify(own.body)).toContain(`RelatedPerson/${realId}/_history/1`);
      // and a change by anyone but the child's facility ends the guardianship
      const rp = (await sys.get(`RelatedPerson/${realId}`)).body;
      expect(
        (
          await new Fhir(t.url, docAccount['child.doctor'] as string).put(`RelatedPerson/${realId}`, {
            ...rp,
            telecom: [{ system: 'phone', value: '0912345678' }],
          })
        ).status,
      ).toBe(200);
      expect(await dependents('mai.le')).toEqual([]);
      expect((await staffA.put(`RelatedPerson/${realId}`, { ...rp, id: realId })).status).toBe(200);
      expect(await dependents('mai.le')).toEqual([child]);
    });
  });
});

describe('issue 15 §3–4: rows written before the fix are backfilled by the migration', () => {
  it('a tombstone, a Binary and a Bundle stored without compartments are closed after the upgrade', async () => {
    let t = await startApp(PlatformModule.register);
    try {
      const sys = new Fhir(t.url, await systemToken(t.url));
      const mk = async (body: Record<string, unknown>): Promise<string> =>
        (await sys.post(String(body.resourceType), body)).body.id as string;
      const org = await mk({ resourceType: 'Organization', name: 'Trạm Y tế' });
      const victim = await mk({
        resourceType: 'Patient',
        managingOrganization: { reference: `Organization/${org}` },
      });
      const other = await mk({ resourceType: 'Patient' });
      const nurse = await mk({ resourceType: 'Practitioner' });
      const hiv = await mk(observation(victim, '75622-1', 1));
      await sys.delete(`Observation/${hiv}`);
      const scan = await mk({
        resourceType: 'Binary',
        contentType: 'application/pdf',
        securityContext: { reference: `Patient/${victim}` },
        data: 'JVBERi0=',
      });
      const bundle = await mk({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'Condition', subject: { reference: `Patient/${victim}` } } }],
      });
      const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
      await createAccounts(
        t.url,
        admin,
        [
          ['other.patient', 'patient', `Patient/${other}`],
          ['victim.nurse', 'clinic-staff', `Practitioner/${nurse}`, `Organization/${org}`],
        ],
        PASSWORD,
      );
      // Back to the shape the code before the fix wrote, and the migration not yet applied.
      const db = t.app.get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false });
      await db.query(
        `UPDATE health_record.resource SET compartments = '{}' WHERE deleted OR resource_type IN ('Binary', 'Bundle')`,
      );
      await db.query(`ALTER TABLE health_record.resource_version DROP COLUMN compartments`);
      await db.query(`DELETE FROM health_record.migrations WHERE name = 'VersionCompartments1765000000000'`);
      await t.close();
      t = await startApp(PlatformModule.register, {}, t.db);

      const asOther = new Fhir(t.url, (await login(t.url, 'other.patient', PASSWORD)).access_token);
      for (const path of [
        `Observation/${hiv}`,
        `Observation/${hiv}/_history/1`,
        `Observation/${hiv}/_history`,
        `Binary/${scan}`,
        `Bundle/${bundle}`,
      ]) {
        expect({ path, status: (await asOther.get(path)).status }).toEqual({ path, status: 404 });
      }
      for (const path of ['Observation/_history', 'Binary', 'Bundle'])
        expect(JSON.stringify((await asOther.get(path)).body)).not.toMatch(
          new RegExp(`${hiv}|${scan}|${bundle}`),
        );
      const asNurse = new Fhir(t.url, (await login(t.url, 'victim.nurse', PASSWORD)).access_token);
      expect((await asNurse.get(`Observation/${hiv}`)).status).toBe(410);
      expect((await asNurse.get(`Observation/${hiv}/_history/1`)).status).toBe(200);
      expect((await asNurse.get(`Binary/${scan}`)).status).toBe(200);
      expect((await asNurse.get(`Bundle/${bundle}`)).status).toBe(200);
      const rows: { version_id: number; compartments: string[] }[] = await t.app
        .get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false })
        .query(
          `SELECT version_id, compartments FROM health_record.resource_version WHERE id = $1 ORDER BY version_id`,
          [hiv],
        );
      expect(rows).toEqual([
        { version_id: 1, compartments: [victim] },
        { version_id: 2, compartments: [victim] },
      ]);
    } finally {
      await t.close();
      await t.db.drop();
    }
  });
});
