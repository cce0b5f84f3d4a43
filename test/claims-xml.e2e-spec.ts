import { validateXML } from 'xmllint-wasm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { envelopeXsd, type TableId, tableXsd } from '../libs/claims/src';
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

const ICD = 'http://hl7.org/fhir/sid/icd-10';
const DRUGS = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
const SERVICE = 'https://fhir.mekong.health/sid/ma-dich-vu';
const PASSWORD = 'Mat-khau-that-dai-2026!';

/** The tables of a GIAMDINHHS envelope, decoded from their base64 NOIDUNGFILE. */
function tablesOf(envelope: string): Partial<Record<TableId, string>> {
  const out: Partial<Record<TableId, string>> = {};
  for (const m of envelope.matchAll(
    /<FILEHOSO>\s*<LOAIHOSO>(XML\d+)<\/LOAIHOSO>\s*<NOIDUNGFILE>([^<]*)<\/NOIDUNGFILE>\s*<\/FILEHOSO>/g,
  ))
    out[m[1] as TableId] = Buffer.from(m[2]!, 'base64').toString('utf8');
  return out;
}

const field = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([^<\\]]*)(?:\\]\\]>)?</${name}>`, 'g'))].map(
    (m) => m[1]!,
  );

async function schemaErrors(xml: string, xsd: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'claim.xml', contents: xml }],
    schema: [{ fileName: 'claim.xsd', contents: xsd }],
  });
  return r.errors.map((e) => e.message);
}

/**
 * `Encounter/$bhyt-claim` (issue 21 part 1): a finished visit's QĐ 130 claim made from the record,
 * valid against the schemas written from the decision's field tables, totals reconciled; the
 * uninsured get no card; a patient, another facility and an unrelated doctor are refused; what
 * is missing is a 422 naming each field.
 */
describe('insurance claim of a visit ($bhyt-claim)', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  const patient = (family: string, extra: Record<string, unknown> = {}) =>
    claimsPatient(ids.orgA!, family, extra);

  /** A finished video visit of `pid` by the doctor at facility A, with its diagnoses (first = main). */
  const visit = async (pid: string, diagnoses: string[], drug = true): Promise<string> => {
    const conds = [];
    for (const code of diagnoses)
      conds.push(
        await mk({
          resourceType: 'Condition',
          subject: { reference: `Patient/${pid}` },
          code: { coding: [{ system: ICD, code }] },
        }),
      );
    const enc = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${pid}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: '2026-12-01T08:05:00+07:00', end: '2026-12-01T08:25:00+07:00' },
      serviceProvider: { reference: `Organization/${ids.orgA}` },
      reasonCode: [{ text: 'Đau thượng vị 3 ngày' }],
      diagnosis: conds.map((c, i) => ({ condition: { reference: `Condition/${c}` }, rank: i + 1 })),
    });
    for (const c of conds) {
      const cur = (await sys.get(`Condition/${c}`)).body;
      await sys.put(`Condition/${c}`, { ...cur, encounter: { reference: `Encounter/${enc}` } });
    }
    await mk({
      resourceType: 'ClinicalImpression',
      status: 'completed',
      subject: { reference: `Patient/${pid}` },
      encounter: { reference: `Encounter/${enc}` },
      summary: 'Đau thượng vị, không sốt; tư vấn chế độ ăn',
    });
    if (drug)
      await mk({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${pid}` },
        encounter: { reference: `Encounter/${enc}` },
        authoredOn: '2026-12-01T08:20:00+07:00',
        medicationCodeableConcept: {
          coding: [{ system: DRUGS, code: '40.677', display: 'Omeprazol' }],
          text: 'Omeprazol 20mg',
        },
        dispenseRequest: { quantity: { value: 14, unit: 'viên' } },
        dosageInstruction: [{ text: '1 viên trước ăn sáng' }],
      });
    return enc;
  };

  beforeAll(async () => {
    const config = {
      facilities: {} as Record<string, unknown>,
    };
    // The facility's id is known only after it is created: start once to seed, the config names it.
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.orgA = await mk(claimsFacilityOrg());
    ids.orgB = await mk({ resourceType: 'Organization', name: 'Bệnh viện khác' });
    await t.close();
    config.facilities[`Organization/${ids.orgA}`] = claimsFacilityConfig({
      prices: [
        { code: 'TEST.GLU', price: 25000 },
        { code: 'TEST.BP', price: 0 },
      ],
      services: [
        { code: 'TEST.GLU', name: 'Định lượng glucose máu mao mạch (mã thử)', unit: 'lần', costGroup: 1 },
        { code: 'TEST.BP', name: 'Đo huyết áp (mã thử)', unit: 'lần', costGroup: 19 },
      ],
    });
    t = await startApp(PlatformModule.register, { CLAIMS_CONFIG: JSON.stringify(config) }, t.db);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.doctor = await mk(claimsDoctor());
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lý' }] });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Y tá A' }] });
    ids.nurseB = await mk({ resourceType: 'Practitioner', name: [{ family: 'Y tá B' }] });
    ids.insured = await mk(patient('Nguyễn'));
    await mk(bhytCoverage(ids.insured));
    ids.uninsured = await mk(patient('Trần'));
    ids.encInsured = await visit(ids.insured, ['K29.7', 'R10.1']);
    ids.encUninsured = await visit(ids.uninsured, ['K29.7'], false);
    ids.encAsterisk = await visit(ids.uninsured, ['G01']);
    // A visit with a test done at the station (results in XML4) and a re-visit appointment (XML14).
    ids.encLab = await visit(ids.insured, ['K29.7']);
    const order = async (code: string, status = 'completed') =>
      mk({
        resourceType: 'ServiceRequest',
        status,
        intent: 'order',
        subject: { reference: `Patient/${ids.insured}` },
        encounter: { reference: `Encounter/${ids.encLab}` },
        code: { coding: [{ system: SERVICE, code }] },
        authoredOn: '2026-12-01T08:10:00+07:00',
        occurrenceDateTime: '2026-12-01T08:12:00+07:00',
      });
    const result = (basedOn: string, status: string, value: Record<string, unknown>) =>
      mk({
        resourceType: 'Observation',
        status,
        basedOn: [{ reference: `ServiceRequest/${basedOn}` }],
        subject: { reference: `Patient/${ids.insured}` },
        encounter: { reference: `Encounter/${ids.encLab}` },
        effectiveDateTime: '2026-12-01T08:13:00+07:00',
        issued: '2026-12-01T08:15:00+07:00',
        performer: [{ reference: `Practitioner/${ids.doctor}` }],
        ...value,
      });
    ids.srGlu = await order('TEST.GLU');
    await result(ids.srGlu, 'final', {
      code: {
        coding: [{ system: 'http://loinc.org', code: '2339-0' }],
        text: 'Glucose máu mao mạch',
      },
      valueQuantity: { value: 7.8, unit: 'mmol/L' },
      interpretation: [{ text: 'Cao' }],
    });
    // entered in error: never claimed
    await result(ids.srGlu, 'entered-in-error', {
      code: { text: 'Glucose máu mao mạch' },
      valueQuantity: { value: 78, unit: 'mmol/L' },
    });
    ids.srBp = await order('TEST.BP');
    await result(ids.srBp, 'final', {
      code: { text: 'Huyết áp' },
      component: [
        { code: { text: 'Huyết áp tâm thu' }, valueQuantity: { value: 150, unit: 'mmHg' } },
        { code: { text: 'Huyết áp tâm trương' }, valueQuantity: { value: 95, unit: 'mmHg' } },
      ],
    });
    await mk({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'https://fhir.mekong.health/sid/follow-up-letter', value: 'HKL-0001' }],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '390906007' }], text: 'Hẹn khám lại' },
      subject: { reference: `Patient/${ids.insured}` },
      encounter: { reference: `Encounter/${ids.encLab}` },
      requester: { reference: `Practitioner/${ids.doctor}` },
      authoredOn: '2026-12-01T08:25:00+07:00',
      occurrenceDateTime: '2026-12-15T08:00:00+07:00',
    });
    // a result not yet final: the claim waits for it
    ids.encPending = await visit(ids.insured, ['K29.7'], false);
    const pending = await mk({
      resourceType: 'ServiceRequest',
      status: 'completed',
      intent: 'order',
      subject: { reference: `Patient/${ids.insured}` },
      encounter: { reference: `Encounter/${ids.encPending}` },
      code: { coding: [{ system: SERVICE, code: 'TEST.GLU' }] },
    });
    await mk({
      resourceType: 'Observation',
      status: 'preliminary',
      basedOn: [{ reference: `ServiceRequest/${pending}` }],
      subject: { reference: `Patient/${ids.insured}` },
      encounter: { reference: `Encounter/${ids.encPending}` },
      code: { text: 'Glucose' },
      valueQuantity: { value: 6, unit: 'mmol/L' },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['claim.doctor', 'practitioner', `Practitioner/${ids.doctor}`, `Organization/${ids.orgA}`],
      ['claim.other', 'practitioner', `Practitioner/${ids.other}`],
      ['claim.staffA', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.orgA}`],
      ['claim.staffB', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.orgB}`],
      ['claim.patient', 'patient', `Patient/${ids.insured}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    for (const [u, tok] of Object.entries(tokens)) as[u] = new Fhir(t.url, tok);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const claim = (who: Fhir, enc: string) =>
    fetch(`${t.url}/fhir/Encounter/${enc}/$bhyt-claim`, {
      headers: { Authorization: `Bearer ${who.token}` },
    });

  it('an insured visit: the GIAMDINHHS envelope and every table valid against the schemas, one MA_LK, totals reconciled', async () => {
    const res = await claim(sys, ids.encInsured!);
    if (res.status !== 200) throw new Error(await res.text());
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const envelope = await res.text();
    expect(await schemaErrors(envelope, envelopeXsd())).toEqual([]);
    expect(field(envelope, 'MACSKCB')).toEqual(['92001']);
    const tables = tablesOf(envelope);
    // XML8 goes with inpatient-type care only (Bảng 8's note: MA_LOAI_KCB 03, 04, 06).
    expect(Object.keys(tables).sort()).toEqual(['XML1', 'XML2', 'XML3']);
    for (const [id, xml] of Object.entries(tables)) {
      expect([id, await schemaErrors(xml, tableXsd(id as TableId))]).toEqual([id, []]);
      expect(new Set(field(xml, 'MA_LK'))).toEqual(new Set([ids.encInsured]));
    }
    const x1 = tables.XML1!;
    expect(field(x1, 'MA_THE_BHYT')).toEqual(['GD4929212345678']);
    expect(field(x1, 'MA_BENH_CHINH')).toEqual(['K29.7']);
    expect(field(x1, 'MA_BENH_KT')).toEqual(['R10.1']);
    expect(field(x1, 'MATINH_CU_TRU')).toEqual(['92']);
    expect(field(x1, 'MAXA_CU_TRU')).toEqual(['31135']);
    // The card's benefit digit 4 → 80 % ([unverified] table, libs/terminology/data/price-lists/benefit-levels.json).
    expect(field(tables.XML2!, 'MUC_HUONG')).toEqual(['80']);
    expect(field(tables.XML3!, 'MUC_HUONG')).toEqual(['80']);
    // Totals: XML1 equals the sums of XML2 and XML3 (14 × 1,234.5 + 52,600 = 69,883).
    const sum = (xml: string, name: string) => field(xml, name).reduce((a, b) => a + Number(b), 0);
    expect(Number(field(x1, 'T_THUOC')[0])).toBeCloseTo(sum(tables.XML2!, 'THANH_TIEN_BV'), 2);
    expect(Number(field(x1, 'T_TONGCHI_BV')[0])).toBeCloseTo(
      sum(tables.XML2!, 'THANH_TIEN_BV') + sum(tables.XML3!, 'THANH_TIEN_BV'),
      2,
    );
    expect(Number(field(x1, 'T_TONGCHI_BV')[0])).toBeCloseTo(69883, 2);
    expect(
      Number(field(x1, 'T_BHTT')[0]) + Number(field(x1, 'T_BNCCT')[0]) + Number(field(x1, 'T_BNTT')[0]),
    ).toBeCloseTo(Number(field(x1, 'T_TONGCHI_BV')[0]), 2);
  });

  it('a test done at the station and a re-visit appointment: XML3 bills the test, XML4 holds its final results, XML14 the appointment', async () => {
    const res = await claim(sys, ids.encLab!);
    if (res.status !== 200) throw new Error(await res.text());
    const envelope = await res.text();
    expect(await schemaErrors(envelope, envelopeXsd())).toEqual([]);
    const tables = tablesOf(envelope);
    expect(Object.keys(tables).sort()).toEqual(['XML1', 'XML14', 'XML2', 'XML3', 'XML4']);
    for (const [id, xml] of Object.entries(tables)) {
      expect([id, await schemaErrors(xml, tableXsd(id as TableId))]).toEqual([id, []]);
      expect(new Set(field(xml, 'MA_LK'))).toEqual(new Set([ids.encLab]));
    }
    const x3 = tables.XML3!;
    expect(field(x3, 'MA_DICH_VU')).toEqual(['I.1', 'TEST.GLU', 'TEST.BP']);
    expect(field(x3, 'MA_NHOM')).toEqual(['13', '1', '19']);
    expect(field(x3, 'NGAY_KQ')).toEqual(['', '202612010815', '202612010815']);
    // Results: the final ones only (the entered-in-error 78 mmol/L is not there); components are rows.
    const x4 = tables.XML4!;
    expect(field(x4, 'MA_DICH_VU')).toEqual(['TEST.GLU', 'TEST.BP', 'TEST.BP']);
    expect(field(x4, 'TEN_CHI_SO')).toEqual([
      'Glucose máu mao mạch',
      'Huyết áp tâm thu',
      'Huyết áp tâm trương',
    ]);
    expect(field(x4, 'GIA_TRI')).toEqual(['7.8', '150', '95']);
    expect(field(x4, 'DON_VI_DO')).toEqual(['mmol/L', 'mmHg', 'mmHg']);
    expect(field(x4, 'KET_LUAN')).toEqual(['Cao', '', '']);
    expect(field(x4, 'NGAY_KQ')).toEqual(['202612010815', '202612010815', '202612010815']);
    expect(field(x4, 'MA_BS_DOC_KQ')).toEqual(['000456/CT-CCHN', '000456/CT-CCHN', '000456/CT-CCHN']);
    // The LOINC code is not a MA_CHI_SO (QĐ 1227): left empty, never mapped.
    expect(field(x4, 'MA_CHI_SO')).toEqual(['', '', '']);
    const x14 = tables.XML14!;
    expect(field(x14, 'SO_GIAYHEN_KL')).toEqual(['HKL-0001']);
    expect(field(x14, 'NGAY_HEN_KL')).toEqual(['202612150800']);
    expect(field(x14, 'MA_BAC_SI')).toEqual(['000456/CT-CCHN']);
    expect(field(x14, 'MA_THE_BHYT')).toEqual(['GD4929212345678']);
    expect(field(tables.XML1!, 'NGAY_TAI_KHAM')).toEqual(['20261215']);
    // Totals still reconcile: 52,600 + 25,000 + 0 + 14 × 1,234.5
    const x1 = tables.XML1!;
    const sum = (xml: string, name: string) => field(xml, name).reduce((a, b) => a + Number(b), 0);
    expect(Number(field(x1, 'T_TONGCHI_BV')[0])).toBeCloseTo(
      sum(tables.XML2!, 'THANH_TIEN_BV') + sum(x3, 'THANH_TIEN_BV'),
      2,
    );
    expect(Number(field(x1, 'T_TONGCHI_BV')[0])).toBeCloseTo(52600 + 25000 + 14 * 1234.5, 2);
  });

  it('a billed test whose result is not final yet is a 422 (the claim waits for it)', async () => {
    const res = await claim(sys, ids.encPending!);
    expect(res.status).toBe(422);
    const oo = (await res.json()) as { issue: { expression?: string[] }[] };
    expect(oo.issue.map((i) => i.expression?.[0])).toEqual(['XML4.NGAY_KQ']);
  });

  it('an uninsured visit: no card is made up, only the table for the uninsured', async () => {
    const res = await claim(sys, ids.encUninsured!);
    expect(res.status).toBe(200);
    const tables = tablesOf(await res.text());
    // The uninsured send XML1, and XML8 for inpatient-type care only ([unverified], docs/claims-xml130.md).
    expect(Object.keys(tables).sort()).toEqual(['XML1']);
    expect(field(tables.XML1!, 'MA_THE_BHYT')).toEqual(['']);
    expect(field(tables.XML1!, 'MA_DOITUONG_KCB')).toEqual(['9']);
    expect(Number(field(tables.XML1!, 'T_BHTT')[0])).toBe(0);
  });

  it('a code the list forbids as main diagnosis, or missing data, is a 422 naming the field; nothing is invented', async () => {
    const res = await claim(sys, ids.encAsterisk!);
    expect(res.status).toBe(422);
    const oo = (await res.json()) as {
      issue: { expression?: string[]; diagnostics: string; details?: { coding?: { code: string }[] } }[];
    };
    expect(oo.issue.map((i) => i.expression?.[0])).toContain('XML1.MA_BENH_CHINH');
    expect(oo.issue[0]!.details?.coding?.[0]?.code).toBe('CLAIMS.INCOMPLETE');
    const bare = await mk({ resourceType: 'Patient', name: [{ family: 'Không', given: ['Đủ'] }] });
    const enc = await visit(bare, ['K29.7'], false);
    const missing = await claim(sys, enc);
    expect(missing.status).toBe(422);
    const fields = ((await missing.json()) as { issue: { expression?: string[] }[] }).issue.map(
      (i) => i.expression?.[0],
    );
    expect(fields).toEqual(
      expect.arrayContaining(['XML1.NGAY_SINH', 'XML1.MA_QUOCTICH', 'XML1.MATINH_CU_TRU']),
    );
  });

  it('who may: the visit’s doctor and its facility’s staff; not the patient, another facility or an unrelated doctor', async () => {
    expect((await claim(as['claim.doctor']!, ids.encInsured!)).status).toBe(200);
    expect((await claim(as['claim.staffA']!, ids.encInsured!)).status).toBe(200);
    const mine = await claim(as['claim.patient']!, ids.encInsured!);
    expect(mine.status).toBe(403);
    expect(((await mine.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect([403, 404]).toContain((await claim(as['claim.staffB']!, ids.encInsured!)).status);
    expect([403, 404]).toContain((await claim(as['claim.other']!, ids.encInsured!)).status);
    expect((await claim(sys, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const anon = await fetch(`${t.url}/fhir/Encounter/${ids.encInsured}/$bhyt-claim`);
    expect(anon.status).toBe(401);
  });
});
