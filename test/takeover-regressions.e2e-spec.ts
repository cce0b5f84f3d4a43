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
});
