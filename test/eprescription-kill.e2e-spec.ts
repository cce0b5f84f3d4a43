import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DRUG_SYSTEM, E_PRESCRIPTION_CODE_SYSTEM, E_PRESCRIPTION_TYPE_SYSTEM } from '@mekong/eprescription';
import { EprescriptionStandIn } from './support/eprescription-standin';
import { Fhir } from './support/fhir-client';
import { type BatchPlatform, startBatchPlatform, until } from './support/notify-batch';
import { ADMIN, api, createAccounts, login, systemToken } from './support/test-app';
import { freshDatabase, type TestDatabase } from './support/test-database';

const ROOT = join(__dirname, '..');
const N = 8;
const PASSWORD = 'Mat-khau-an-toan-2026';

/**
 * Never sent twice (decision 029): prescriptions go out to the stand-in national system; while some
 * submissions are in flight (the stand-in accepted them and holds its answers) the built platform is
 * killed with SIGKILL and started again on the same database. Afterwards every prescription is
 * issued, each code was accepted by the system exactly once (the ones in flight were tried again,
 * and the system's "code already held" answer to that retry counts as issued), and each
 * MedicationRequest carries its code.
 */
describe('e-prescriptions: each code accepted once across SIGKILL', () => {
  let standin: EprescriptionStandIn;
  let db: TestDatabase;
  let platform: BatchPlatform | undefined;

  beforeAll(() => {
    // One build at a time on this machine (other suites build too).
    const build = spawnSync(
      'flock',
      ['/tmp/mekong-build.lock', process.execPath, join(ROOT, 'scripts/run.mjs'), 'build'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) throw new Error('build failed');
  }, 600_000);
  afterAll(async () => {
    await platform?.kill();
    await db?.drop();
    await standin?.close();
  });

  it('prescriptions killed mid-send are issued after restart, each accepted once, none lost', async () => {
    standin = await EprescriptionStandIn.start();
    standin.addDoctor('CT-BVTW', 'BS-00123', 'Mat-khau-BYT-2026');
    db = await freshDatabase();
    const env = {
      EPRESCRIPTION_URL: standin.url,
      EPRESCRIPTION_SECRET_KEY: 'eprescription-kill-key-0123456789abcdef',
      EPRESCRIPTION_RETRY_DELAY_SECONDS: '1',
      EPRESCRIPTION_EXPIRE_SECONDS: '3',
      EPRESCRIPTION_CONCURRENCY: '4',
      EPRESCRIPTION_TIMEOUT_MS: '60000',
      JOB_POLL_SECONDS: '0.5',
    };
    platform = await startBatchPlatform(db, env);
    const url = platform.url;
    const sys = new Fhir(url, await systemToken(url));
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const r = await sys.post(body.resourceType as string, body);
      if (r.status !== 201)
        throw new Error(`${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    const org = await mk({ resourceType: 'Organization', name: 'Bệnh viện Đa khoa Trung ương Cần Thơ' });
    const doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Minh'] }] });
    const admin = (await login(url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      url,
      admin,
      [['kill.doc', 'practitioner', `Practitioner/${doctor}`, `Organization/${org}`]],
      PASSWORD,
    );
    const token = tokens['kill.doc']!;
    const cred = await api(url, 'PUT', '/eprescription/credentials', token, {
      facilityCode: '92001',
      facilityLinkCode: 'CT-BVTW',
      doctorLinkCode: 'BS-00123',
      password: 'Mat-khau-BYT-2026',
    });
    expect(cred.status).toBe(204);

    const encounters: string[] = [];
    const prescribe = async (i: number): Promise<void> => {
      const patient = await mk({
        resourceType: 'Patient',
        name: [{ family: 'Nguyễn', given: [`Lan ${i}`] }],
        birthDate: '1970-01-01',
        identifier: [
          {
            system: 'http://fhir.hl7.org.vn/core/sid/cccd',
            value: `0920700012${String(i).padStart(2, '0')}`,
          },
        ],
        generalPractitioner: [{ reference: `Practitioner/${doctor}` }],
      });
      const enc = await mk({
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
        subject: { reference: `Patient/${patient}` },
        participant: [{ individual: { reference: `Practitioner/${doctor}` } }],
      });
      encounters.push(enc);
      const r = await new Fhir(url, token).post('MedicationRequest', {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ system: E_PRESCRIPTION_TYPE_SYSTEM, code: 'c' }] }],
        medicationCodeableConcept: {
          coding: [{ system: DRUG_SYSTEM, code: '40.677' }],
          text: 'Omeprazol 20 mg',
        },
        subject: { reference: `Patient/${patient}` },
        encounter: { reference: `Encounter/${enc}` },
        requester: { reference: `Practitioner/${doctor}` },
        authoredOn: new Date().toISOString(),
        reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'K21.9' }] }],
        dosageInstruction: [{ text: 'Uống 1 viên trước ăn sáng' }],
        dispenseRequest: {
          quantity: { value: 14, unit: 'viên' },
          expectedSupplyDuration: { value: 14, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
        },
      });
      if (r.status !== 201) throw new Error(`prescription ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    };

    // Two go through; then the system holds its answers: the next ones (4 at a time) are accepted,
    // their answers never reach the platform, which is killed; the rest were not sent yet.
    for (let i = 0; i < 2; i++) await prescribe(i);
    await until('two accepted', () => (standin.accepted.length >= 2 ? true : undefined), 60_000);
    standin.hold = true;
    for (let i = 2; i < N; i++) await prescribe(i);
    await until('submissions in flight', () => (standin.heldCount >= 3 ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    await platform.kill();
    const heldAtKill = standin.accepted.length - 2;
    expect(heldAtKill).toBeGreaterThanOrEqual(3);

    standin.hold = false;
    platform = await startBatchPlatform(db, env);
    const status = async (
      enc: string,
    ): Promise<{ code: string; status: string; attempts: number } | undefined> => {
      const res = await api(platform!.url, 'GET', `/eprescription/prescriptions?encounter=${enc}`, token);
      if (res.status !== 200) return undefined;
      return ((await res.json()) as { code: string; status: string; attempts: number }[])[0];
    };
    await until(
      'every prescription issued after restart',
      async () => {
        for (const enc of encounters) if ((await status(enc))?.status !== 'issued') return undefined;
        return true;
      },
      120_000,
    );
    await new Promise((r) => setTimeout(r, 3000)); // a second acceptance would show up now

    const perCode = new Map<string, number>();
    for (const a of standin.accepted) perCode.set(a.code, (perCode.get(a.code) ?? 0) + 1);
    expect(perCode.size).toBe(N);
    expect([...perCode.values()].every((n) => n === 1)).toBe(true);
    // The ones in flight at the kill were sent again (the system answered "already held").
    const resent = [...new Set(standin.received.map((r) => r.code))].filter(
      (c) => standin.received.filter((r) => r.code === c).length > 1,
    );
    expect(resent.length).toBeGreaterThan(0);
    const sysAfter = new Fhir(platform.url, await systemToken(platform.url));
    for (const enc of encounters) {
      const p = (await status(enc))!;
      expect(perCode.get(p.code)).toBe(1);
      const mrs = await sysAfter.get(`MedicationRequest?encounter=Encounter/${enc}`);
      const mr = ((mrs.body.entry ?? []) as { resource: { identifier?: unknown } }[])[0]!.resource;
      expect(mr.identifier).toEqual([{ system: E_PRESCRIPTION_CODE_SYSTEM, value: p.code }]);
    }
  }, 300_000);
});
