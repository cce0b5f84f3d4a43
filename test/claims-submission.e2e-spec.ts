import { createHash, randomUUID } from 'node:crypto';
import { validateXML } from 'xmllint-wasm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { ClaimCheckIn, tableXsd } from '../libs/claims/src';
import { BhxhGatewayStandIn } from './support/bhxh-gateway-standin';
import {
  bhytCoverage,
  claimsDoctor,
  claimsFacilityConfig,
  claimsFacilityOrg,
  claimsPatient,
} from './support/claims-fixtures';
import { Fhir } from './support/fhir-client';
import {
  ADMIN,
  type AccountSpec,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
} from './support/test-app';
import { until } from './support/wait';

const ICD = 'http://hl7.org/fhir/sid/icd-10';
const DRUGS = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
const PASSWORD = 'Mat-khau-that-dai-2026!';
const EXT = 'https://fhir.mekong.health/StructureDefinition/';
const GATEWAY = { username: '92001_BV', password: 'mat-khau-cong-bhxh', facility: '92001' };

interface Claim {
  status: string;
  maLk?: string;
  attempts: number;
  reasons: { field?: string; message: string }[];
  lastError?: string;
  submissions?: {
    attempt: number;
    outcome: string;
    envelopeSha256: string;
    sentAt: string;
    transactionId?: string;
    message?: string;
  }[];
}

/**
 * The claims submission queue (issue 21 part 1, docs/claims-submission.md): a visit finished →
 * its claim sent to the BHXH gateway (a stand-in of CV 1245/BHXH-CNTT's API) as a durable job;
 * 5xx retried, business rejections kept with their reasons, a corrected claim resent, who sees what.
 */
describe('claims submission to the BHXH gateway', () => {
  let t: TestApp;
  let gw: BhxhGatewayStandIn;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  const api = (who: string, method: string, path: string): Promise<Response> =>
    fetch(`${t.url}${path}`, { method, headers: { Authorization: `Bearer ${tokens[who]}` } });

  /** An insured visit at facility A: written in progress with its diagnoses and drug, then finished. */
  const visit = async (end = '2026-12-01T08:25:00+07:00'): Promise<string> => {
    const pid = ids.insured!;
    const cond = await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${pid}` },
      code: { coding: [{ system: ICD, code: 'K29.7' }] },
    });
    const encounter = {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${pid}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: end.replace('08:25', '08:05'), end },
      serviceProvider: { reference: `Organization/${ids.orgA}` },
      reasonCode: [{ text: 'Đau thượng vị 3 ngày' }],
      diagnosis: [{ condition: { reference: `Condition/${cond}` }, rank: 1 }],
    };
    const enc = await mk(encounter);
    const c = (await sys.get(`Condition/${cond}`)).body;
    await sys.put(`Condition/${cond}`, { ...c, encounter: { reference: `Encounter/${enc}` } });
    await mk({
      resourceType: 'ClinicalImpression',
      status: 'completed',
      subject: { reference: `Patient/${pid}` },
      encounter: { reference: `Encounter/${enc}` },
      summary: 'Đau thượng vị, không sốt; tư vấn chế độ ăn',
    });
    await mk({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${pid}` },
      encounter: { reference: `Encounter/${enc}` },
      authoredOn: end.replace('08:25', '08:20'),
      medicationCodeableConcept: {
        coding: [{ system: DRUGS, code: '40.677', display: 'Omeprazol' }],
        text: 'Omeprazol 20mg',
      },
      dispenseRequest: { quantity: { value: 14, unit: 'viên' } },
      dosageInstruction: [{ text: '1 viên trước ăn sáng' }],
    });
    const cur = (await sys.get(`Encounter/${enc}`)).body;
    const fin = await sys.put(`Encounter/${enc}`, { ...cur, status: 'finished' });
    if (fin.status !== 200) throw new Error(`finish: ${fin.status} ${JSON.stringify(fin.body)}`);
    return enc;
  };

  const claimOf = async (enc: string, who = 'staffA'): Promise<Claim> => {
    const r = await api(who, 'GET', `/claims/${enc}`);
    if (r.status !== 200) throw new Error(`GET /claims/${enc}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Claim;
  };
  const settled = (enc: string, status: string, timeout = 20000): Promise<Claim> =>
    until(
      `claim ${enc} ${status}`,
      async () => {
        const c = await claimOf(enc);
        return c.status === status ? c : undefined;
      },
      timeout,
    );

  beforeAll(async () => {
    gw = await BhxhGatewayStandIn.start(GATEWAY);
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.orgA = await mk(claimsFacilityOrg());
    ids.orgB = await mk({ resourceType: 'Organization', name: 'Bệnh viện khác' });
    ids.doctor = await mk(claimsDoctor());
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lý' }] });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Y tá A' }] });
    ids.nurseB = await mk({ resourceType: 'Practitioner', name: [{ family: 'Y tá B' }] });
    ids.insured = await mk(claimsPatient(ids.orgA));
    await mk(bhytCoverage(ids.insured));
    // A visit finished while no gateway is configured: its claim waits, queued and unsent.
    ids.waiting = await visit();
    const waiting = await until('the claim noted as waiting', async () => {
      const r = await fetch(`${t.url}/claims/${ids.waiting}`, {
        headers: { Authorization: `Bearer ${sys.token}` },
      });
      const c = (await r.json()) as Claim & { waiting?: string };
      return c.lastError ? c : undefined;
    });
    if (waiting.status !== 'queued' || !waiting.waiting?.includes('gateway not configured'))
      throw new Error(`waiting claim: ${JSON.stringify(waiting)}`);
    await t.close();
    const config = {
      facilities: {
        [`Organization/${ids.orgA}`]: claimsFacilityConfig({
          prices: [{ code: 'TEST.GLU', price: 25000 }],
          services: [{ code: 'TEST.GLU', name: 'Glucose máu mao mạch (mã thử)', unit: 'lần', costGroup: 1 }],
        }),
      },
    };
    t = await startApp(
      PlatformModule.register,
      {
        CLAIMS_CONFIG: JSON.stringify(config),
        BHXH_GATEWAY_URL: gw.url,
        BHXH_USERNAME: GATEWAY.username,
        BHXH_PASSWORD: GATEWAY.password,
        BHXH_RETRY_DELAY_SECONDS: '1',
        BHXH_TIMEOUT_MS: '5000',
        JOB_POLL_SECONDS: '0.5',
      },
      t.db,
    );
    const sysToken = await systemToken(t.url);
    sys = new Fhir(t.url, sysToken);
    tokens.system = sysToken;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['sub.doctor', 'practitioner', `Practitioner/${ids.doctor}`, `Organization/${ids.orgA}`],
      ['sub.other', 'practitioner', `Practitioner/${ids.other}`],
      ['sub.staffA', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.orgA}`],
      ['sub.staffB', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.orgB}`],
      ['sub.patient', 'patient', `Patient/${ids.insured}`],
    ];
    for (const [u, tok] of Object.entries(await createAccounts(t.url, admin, accounts, PASSWORD)))
      tokens[u.replace('sub.', '')] = tok;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await gw?.close();
  });

  it('a finished visit’s claim is sent to the gateway and accepted; the submission is kept with its envelope hash', async () => {
    const enc = await visit();
    ids.accepted = enc;
    const c = await settled(enc, 'accepted');
    expect(c.maLk).toBe(enc);
    expect((c as Claim & { patient?: string }).patient).toBe(`Patient/${ids.insured}`);
    expect(c.attempts).toBe(1);
    expect(c.submissions).toHaveLength(1);
    expect(c.submissions![0]).toMatchObject({
      attempt: 1,
      outcome: 'accepted',
      envelopeSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(c.submissions![0]!.transactionId).toBeTruthy();
    const r = gw.records.get(enc)!;
    expect(r.maCSKCB).toBe('92001');
    expect(r.maTinh).toBe('92');
    expect(r.envelope).toMatch(/^<\?xml[^>]*>\s*<GIAMDINHHS/);
    expect(gw.acceptedAnswers.get(enc)).toBe(1);
  });

  it('the queue’s claim holds the visit’s billed test and its result (XML3, XML4), read by the claims system principal', async () => {
    const enc = await visit();
    // results arrive after the visit ended: the facility corrects and resends
    const sr = await mk({
      resourceType: 'ServiceRequest',
      status: 'completed',
      intent: 'order',
      subject: { reference: `Patient/${ids.insured}` },
      encounter: { reference: `Encounter/${enc}` },
      code: { coding: [{ system: 'https://fhir.mekong.health/sid/ma-dich-vu', code: 'TEST.GLU' }] },
      authoredOn: '2026-12-01T08:10:00+07:00',
    });
    await mk({
      resourceType: 'Observation',
      status: 'final',
      basedOn: [{ reference: `ServiceRequest/${sr}` }],
      subject: { reference: `Patient/${ids.insured}` },
      encounter: { reference: `Encounter/${enc}` },
      code: { text: 'Glucose máu mao mạch' },
      valueQuantity: { value: 7.8, unit: 'mmol/L' },
      issued: '2026-12-01T08:15:00+07:00',
    });
    await settled(enc, 'accepted');
    expect((await api('staffA', 'POST', `/claims/${enc}/resend`)).status).toBe(202);
    const done = await until('resent', async () => {
      const c = await claimOf(enc);
      return c.status === 'accepted' && (c.submissions?.length ?? 0) === 2 ? c : undefined;
    });
    expect(done.submissions!.map((x) => x.outcome)).toEqual(['accepted', 'accepted']);
    const files = Object.fromEntries(
      [
        ...gw.records
          .get(enc)!
          .envelope.matchAll(/<LOAIHOSO>(XML\d+)<\/LOAIHOSO>\s*<NOIDUNGFILE>([^<]*)<\/NOIDUNGFILE>/g),
      ].map((m) => [m[1], Buffer.from(m[2]!, 'base64').toString('utf8')]),
    );
    expect(Object.keys(files).sort()).toEqual(['XML1', 'XML2', 'XML3', 'XML4']);
    expect(files.XML4).toMatch(/<GIA_TRI>7\.8<\/GIA_TRI>/);
    expect(files.XML3).toMatch(/<MA_DICH_VU>TEST\.GLU<\/MA_DICH_VU>/);
  });

  it('a claim that waited for a gateway is sent once one is configured (after the restart)', async () => {
    const c = await settled(ids.waiting!, 'accepted');
    expect(c.submissions!.map((s) => s.outcome)).toEqual(['accepted']);
    expect(gw.acceptedAnswers.get(ids.waiting!)).toBe(1);
  });

  it('5xx twice, then accepted: retried with backoff, each attempt recorded', async () => {
    gw.failNext = 2;
    const enc = await visit();
    const c = await settled(enc, 'accepted', 30000);
    expect(c.submissions!.map((s) => s.outcome)).toEqual(['transient', 'transient', 'accepted']);
    expect(c.attempts).toBe(3);
    expect(gw.acceptedAnswers.get(enc)).toBe(1);
  });

  it('a business rejection is kept with the gateway’s reasons (not retried); resent after correction it is accepted', async () => {
    const enc = await visit();
    gw.reject.set(enc, ['MA_BENH_CHINH không phù hợp với dịch vụ', 'Thẻ BHYT hết hạn']);
    const c = await settled(enc, 'rejected');
    expect(c.reasons.map((r) => r.message)).toEqual([
      'MA_BENH_CHINH không phù hợp với dịch vụ',
      'Thẻ BHYT hết hạn',
    ]);
    expect(c.submissions!.map((s) => s.outcome)).toEqual(['rejected']);
    const list = (await (await api('staffA', 'GET', '/claims?status=rejected')).json()) as {
      encounter: string;
    }[];
    expect(list.map((x) => x.encounter)).toContain(`Encounter/${enc}`);
    // Correction in the record, then resend.
    gw.reject.delete(enc);
    const cur = (await sys.get(`Encounter/${enc}`)).body;
    await sys.put(`Encounter/${enc}`, { ...cur, reasonCode: [{ text: 'Đau thượng vị 4 ngày' }] });
    expect((await api('doctor', 'POST', `/claims/${enc}/resend`)).status).toBe(403);
    const r = await api('staffA', 'POST', `/claims/${enc}/resend`);
    expect(r.status).toBe(202);
    const done = await settled(enc, 'accepted');
    expect(done.submissions!.map((s) => s.outcome)).toEqual(['rejected', 'accepted']);
    expect(done.submissions![1]!.envelopeSha256).not.toBe(done.submissions![0]!.envelopeSha256);
    expect(done.reasons).toEqual([]);
  });

  describe('the check-in (XML0) when a visit starts', () => {
    type Detail = Claim & {
      checkIn?: {
        status: string;
        attempts: number;
        documentSha256?: string;
        note?: string;
        reasons: { message: string }[];
        transactionId?: string;
      };
    };
    const started = (patient: string, encounterId = randomUUID()) =>
      t.app
        .get(ClaimCheckIn)
        .visitStarted({
          encounterId,
          patient: `Patient/${patient}`,
          organization: `Organization/${ids.orgA}`,
          startedAt: '2026-12-01T08:05:00+07:00',
        })
        .then(() => encounterId);
    const checkInOf = (enc: string, status: string) =>
      until(`check-in ${enc} ${status}`, async () => {
        const row = await t.app.get(ClaimCheckIn).find(enc);
        return row?.status === status ? row : undefined;
      });

    it('an insured visit’s check-in reaches the gateway once, signed, schema-valid, with the MA_LK its claim will have', async () => {
      const enc = await started(ids.insured!);
      await started(ids.insured!, enc); // a second admission, a rejoin: nothing more
      const row = await checkInOf(enc, 'accepted');
      expect(row.attempts).toBe(1);
      expect(gw.checkInsReceived.filter((r) => r.maLk === enc)).toHaveLength(1);
      const doc = gw.checkIns.get(enc)!.envelope;
      expect(doc).toMatch(/<CHI_TIEU_TRANG_THAI_KCB>/);
      expect(doc).toMatch(/<CHUKYDONVI><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
      const v = await validateXML({
        xml: [{ fileName: 'xml0.xml', contents: doc }],
        schema: [{ fileName: 'xml0.xsd', contents: tableXsd('XML0') }],
      });
      expect(v.errors.map((e) => e.message)).toEqual([]);
      for (const [el, value] of [
        ['MA_LK', enc],
        ['MA_THE_BHYT', 'GD4929212345678'],
        ['MA_DKBD', '92001'],
        ['MA_CSKCB', '92001'],
        ['MA_DOITUONG_KCB', '1.1'],
        ['NGAY_VAO', '202612010805'],
        ['MA_DICH_VU', 'I.1'],
        ['NGAY_YL', '202612010805'],
      ])
        expect([el, new RegExp(`<${el}>([^<]*)</${el}>`).exec(doc)?.[1]]).toEqual([el, value]);
      expect(row.documentSha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('the claim of that visit carries the same MA_LK, and staff see the check-in with the claim', async () => {
      const enc = await visit();
      await t.app.get(ClaimCheckIn).visitStarted({
        encounterId: enc,
        patient: `Patient/${ids.insured}`,
        organization: `Organization/${ids.orgA}`,
        startedAt: '2026-12-01T08:05:00+07:00',
      });
      await checkInOf(enc, 'accepted');
      const c = (await settled(enc, 'accepted')) as Detail;
      expect(gw.records.get(enc)?.maLk).toBe(gw.checkIns.get(enc)?.maLk);
      const d = (await (await api('staffA', 'GET', `/claims/${enc}`)).json()) as Detail;
      expect(d.checkIn).toMatchObject({ status: 'accepted', attempts: 1, transactionId: expect.any(String) });
      expect(c.maLk).toBe(enc);
    });

    it('a 5xx is retried with the same document; a rejection is kept with its reasons; the uninsured send none', async () => {
      gw.failNext = 1;
      const retried = await started(ids.insured!);
      const row = await checkInOf(retried, 'accepted');
      expect(row.attempts).toBe(2);
      expect(gw.checkInsReceived.filter((r) => r.maLk === retried)).toHaveLength(1);
      // what arrived is the document kept before the first attempt
      expect(createHash('sha256').update(gw.checkIns.get(retried)!.envelope, 'utf8').digest('hex')).toBe(
        row.documentSha256,
      );

      gw.rejectNext = ['Thẻ BHYT không đúng'];
      const refused = await started(ids.insured!);
      const rej = await checkInOf(refused, 'rejected');
      expect(rej.reasons.map((r) => r.message)).toEqual(['Thẻ BHYT không đúng']);

      const uninsured = await mk({
        resourceType: 'Patient',
        name: [{ family: 'Lê', given: ['Văn Tư'] }],
        gender: 'male',
        birthDate: '1980-01-01',
        address: [{ city: 'Phường Ninh Kiều', state: 'Thành phố Cần Thơ' }],
        extension: [
          { url: `${EXT}nationality-code`, valueCode: '000' },
          { url: `${EXT}ethnicity-code`, valueCode: '01' },
          { url: `${EXT}occupation-code`, valueCode: '00000' },
        ],
      });
      const none = await started(uninsured);
      const na = await checkInOf(none, 'not-applicable');
      expect(na.lastError).toMatch(/uninsured/);
      expect(gw.checkInsReceived.some((r) => r.maLk === none)).toBe(false);

      // missing data: invalid, never sent
      const bare = await mk({ resourceType: 'Patient', name: [{ family: 'Thiếu' }] });
      const bad = await started(bare);
      const inv = await checkInOf(bad, 'invalid');
      expect(inv.reasons.map((r) => (r as { field?: string }).field)).toEqual(
        expect.arrayContaining(['XML1.NGAY_SINH']),
      );
      expect(gw.checkInsReceived.some((r) => r.maLk === bad)).toBe(false);
    });
  });

  it('outside the correction window a resend is 409 CLAIMS.WINDOW_CLOSED', async () => {
    const enc = await visit('2026-10-01T08:25:00+07:00');
    await settled(enc, 'accepted');
    const r = await api('staffA', 'POST', `/claims/${enc}/resend`);
    expect(r.status).toBe(409);
    expect(JSON.stringify(await r.json())).toContain('CLAIMS.WINDOW_CLOSED');
  });

  it('who sees: the facility’s staff, the visit’s doctor, system clients; another facility 404, an unrelated doctor 404, the patient 403', async () => {
    const enc = ids.accepted!;
    expect((await api('doctor', 'GET', `/claims/${enc}`)).status).toBe(200);
    expect((await api('system', 'GET', `/claims/${enc}`)).status).toBe(200);
    expect((await api('staffB', 'GET', `/claims/${enc}`)).status).toBe(404);
    expect((await api('staffB', 'POST', `/claims/${enc}/resend`)).status).toBe(404);
    expect((await api('other', 'GET', `/claims/${enc}`)).status).toBe(404);
    expect((await api('patient', 'GET', `/claims/${enc}`)).status).toBe(403);
    expect((await api('patient', 'GET', '/claims')).status).toBe(403);
    const b = (await (await api('staffB', 'GET', '/claims')).json()) as unknown[];
    expect(b).toEqual([]);
    const a = (await (await api('staffA', 'GET', '/claims')).json()) as { encounter: string }[];
    expect(a.map((x) => x.encounter)).toContain(`Encounter/${enc}`);
    expect((await fetch(`${t.url}/claims/${enc}`)).status).toBe(401);
  });
});
