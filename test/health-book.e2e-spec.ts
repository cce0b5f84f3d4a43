import Ajv2020 from 'ajv/dist/2020';
import { validateXML } from 'xmllint-wasm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { envelopeXsd, healthBookJsonSchema, type TableId, tableXsd } from '../libs/claims/src';
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
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const PASSWORD = 'Mat-khau-that-dai-2026!';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

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
    xml: [{ fileName: 'book.xml', contents: xml }],
    schema: [{ fileName: 'book.xsd', contents: xsd }],
  });
  return r.errors.map((e) => e.message);
}

type Book = {
  HANH_CHINH: Record<string, string>;
  TIEN_SU: Record<string, Record<string, string>[]>;
  DOT_KCB: (Record<string, string> & { THUOC: Record<string, string>[] })[];
};

/**
 * `Encounter/$health-book` and `Patient/$health-book` (issue 21 part 3): the VNeID electronic
 * health book from the record — per visit the QĐ 130 tables QĐ 2733 maps (valid against the
 * claim schemas), for the whole record a JSON summary valid against the schema written from the
 * field table; the patient's own, their doctor's and facility's; others 404.
 */
describe('electronic health book ($health-book)', () => {
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

  const patient = (family: string, cccd: string) =>
    claimsPatient(ids.orgA!, family, { identifier: [{ system: CCCD, value: cccd }] });

  /** A finished visit of `pid` by the doctor at facility A, its diagnoses (first = main) and a drug. */
  const visit = async (pid: string, diagnoses: string[], start: string): Promise<string> => {
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
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${pid}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: `${start}T08:05:00+07:00`, end: `${start}T08:25:00+07:00` },
      serviceProvider: { reference: `Organization/${ids.orgA}` },
      reasonCode: [{ text: 'Đau thượng vị 3 ngày' }],
      diagnosis: conds.map((c, i) => ({ condition: { reference: `Condition/${c}` }, rank: i + 1 })),
    });
    for (const c of conds) {
      const cur = (await sys.get(`Condition/${c}`)).body;
      await sys.put(`Condition/${c}`, { ...cur, encounter: { reference: `Encounter/${enc}` } });
    }
    await mk({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${pid}` },
      encounter: { reference: `Encounter/${enc}` },
      authoredOn: `${start}T08:20:00+07:00`,
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
    const config = { facilities: {} as Record<string, unknown> };
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.orgA = await mk(claimsFacilityOrg());
    ids.orgB = await mk({ resourceType: 'Organization', name: 'Bệnh viện khác' });
    await t.close();
    config.facilities[`Organization/${ids.orgA}`] = claimsFacilityConfig();
    t = await startApp(PlatformModule.register, { CLAIMS_CONFIG: JSON.stringify(config) }, t.db);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.doctor = await mk(claimsDoctor());
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lý' }] });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Y tá A' }] });
    ids.me = await mk(patient('Nguyễn', '092190012345'));
    await mk(bhytCoverage(ids.me));
    ids.someoneElse = await mk(patient('Lê', '092190054321'));
    ids.enc1 = await visit(ids.me, ['K29.7', 'R10.1'], '2026-11-02');
    ids.enc2 = await visit(ids.me, ['K21.9'], '2026-12-01');
    ids.encElse = await visit(ids.someoneElse, ['K29.7'], '2026-12-01');
    // The whole record's history: a chronic illness, an allergy, a vaccination.
    await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${ids.me}` },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { coding: [{ system: ICD, code: 'I10' }], text: 'Tăng huyết áp vô căn' },
    });
    await mk({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${ids.me}` },
      code: { text: 'Penicillin' },
    });
    await mk({
      resourceType: 'Immunization',
      status: 'completed',
      patient: { reference: `Patient/${ids.me}` },
      vaccineCode: { text: 'Vắc xin uốn ván - bạch hầu (Td)' },
      occurrenceDateTime: '2026-06-10T09:00:00+07:00',
      protocolApplied: [{ doseNumberPositiveInt: 2 }],
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['book.doctor', 'practitioner', `Practitioner/${ids.doctor}`, `Organization/${ids.orgA}`],
      ['book.other', 'practitioner', `Practitioner/${ids.other}`],
      ['book.staffA', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.orgA}`],
      ['book.me', 'patient', `Patient/${ids.me}`],
      ['book.else', 'patient', `Patient/${ids.someoneElse}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    for (const [u, tok] of Object.entries(tokens)) as[u] = new Fhir(t.url, tok);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const book = (who: Fhir | undefined, path: string) =>
    fetch(`${t.url}/fhir/${path}/$health-book`, {
      headers: who ? { Authorization: `Bearer ${who.token}` } : {},
    });

  it('the patient’s own visit: the QĐ 130 tables of the book in the GIAMDINHHS envelope, each valid against its schema', async () => {
    const res = await book(as['book.me'], `Encounter/${ids.enc1}`);
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const envelope = await res.text();
    expect(await schemaErrors(envelope, envelopeXsd())).toEqual([]);
    const tables = tablesOf(envelope);
    // Care type 01: a claim sent to BHXH has no XML8 (Bảng 8 note), but the book asks for the
    // visit's summary whatever the care type (QĐ 2733 Phụ lục 02 [unverified]).
    expect(Object.keys(tables).sort()).toEqual(['XML1', 'XML2', 'XML3', 'XML8']);
    expect(res.headers.get('x-health-book-tables')).toBe('XML1,XML2,XML3,XML8');
    expect(field(tables.XML8!, 'QT_BENHLY')[0]).toBeTruthy();
    // signed by the facility, like the claim
    expect(envelope).toMatch(/<CHUKYDONVI><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
    for (const [id, xml] of Object.entries(tables))
      expect([id, await schemaErrors(xml, tableXsd(id as TableId))]).toEqual([id, []]);
    expect(field(tables.XML1!, 'SO_CCCD')).toEqual(['092190012345']);
    expect(field(tables.XML1!, 'MA_BENH_CHINH')).toEqual(['K29.7']);
    expect(field(tables.XML1!, 'MA_BENH_KT')).toEqual(['R10.1']);
    expect(field(tables.XML2!, 'MA_THUOC')).toEqual(['40.677']);
  });

  it('the patient’s whole book: visits, diagnoses, prescriptions, vaccinations, allergies, history — valid against the field table’s schema', async () => {
    const res = await book(as['book.me'], `Patient/${ids.me}`);
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    const b = (await res.json()) as Book;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(healthBookJsonSchema());
    expect([validate(b), validate.errors ?? []]).toEqual([true, []]);
    expect(b.HANH_CHINH.SO_CCCD).toBe('092190012345');
    expect(b.HANH_CHINH.MA_THE_BHYT).toBe('GD4929212345678');
    expect(b.DOT_KCB.map((v) => v.MA_LK)).toEqual([ids.enc1, ids.enc2]);
    expect(b.DOT_KCB.map((v) => v.MA_BENH_CHINH)).toEqual(['K29.7', 'K21.9']);
    expect(b.DOT_KCB[0]!.MA_BENH_KT).toBe('R10.1');
    expect(b.DOT_KCB[0]!.MA_CSKCB).toBe('92001');
    expect(b.DOT_KCB[0]!.LY_DO_VV).toBe('Đau thượng vị 3 ngày');
    expect(b.DOT_KCB.map((v) => v.THUOC.map((d) => d.MA_THUOC))).toEqual([['40.677'], ['40.677']]);
    expect(b.DOT_KCB[0]!.THUOC[0]!.LIEU_DUNG).toBeTruthy();
    expect(b.TIEN_SU.TIEM_CHUNG).toEqual([
      { VAC_XIN: 'Vắc xin uốn ván - bạch hầu (Td)', NGAY_TIEM: '20260610', MUI_THU: '2' },
    ]);
    expect(b.TIEN_SU.DI_UNG).toEqual([{ TAC_NHAN: 'Penicillin' }]);
    expect(b.TIEN_SU.BENH_TAT).toEqual([{ MA_BENH: 'I10', TEN_BENH: 'Tăng huyết áp vô căn' }]);
    // Nothing of the other patient.
    expect(JSON.stringify(b)).not.toContain(ids.encElse);
  });

  it('the visit’s doctor, its facility’s staff and a system client have it; another patient and an unrelated doctor get 404', async () => {
    for (const who of [as['book.doctor'], as['book.staffA'], sys]) {
      expect((await book(who, `Encounter/${ids.enc1}`)).status).toBe(200);
      expect((await book(who, `Patient/${ids.me}`)).status).toBe(200);
    }
    for (const who of [as['book.else'], as['book.other']]) {
      const v = await book(who, `Encounter/${ids.enc1}`);
      expect(v.status).toBe(404);
      expect(((await v.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
      const p = await book(who, `Patient/${ids.me}`);
      expect(p.status).toBe(404);
      expect(((await p.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
    // The other patient has their own.
    expect((await book(as['book.else'], `Encounter/${ids.encElse}`)).status).toBe(200);
    expect((await book(undefined, `Patient/${ids.me}`)).status).toBe(401);
  });

  it('an unknown id is an OperationOutcome 404', async () => {
    for (const path of [`Encounter/${UNKNOWN}`, `Patient/${UNKNOWN}`]) {
      const r = await book(sys, path);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
  });
});
