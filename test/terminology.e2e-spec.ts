import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  ADMIN,
  type AccountSpec,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

const ICD = 'http://hl7.org/fhir/sid/icd-10';
const ICD_VS = 'http://hl7.org/fhir/ValueSet/icd-10';
const UNITS = 'https://fhir.mekong.health/CodeSystem/vn-admin-unit';
const UNITS_MAP = 'https://fhir.mekong.health/ConceptMap/vn-admin-unit-2024-to-2025';
const PASSWORD = 'Mat-khau-that-dai-2026!';

type Param = { name: string; valueBoolean?: boolean; valueString?: string; part?: Param[] } & Record<
  string,
  unknown
>;
const param = (body: Record<string, unknown>, name: string): Param | undefined =>
  (body.parameter as Param[] | undefined)?.find((p) => p.name === name);
const codeOf = (r: { body: Record<string, unknown> }): string | undefined =>
  (r.body.issue as { details?: { coding?: { code: string }[] } }[] | undefined)?.[0]?.details?.coding?.[0]
    ?.code;

/**
 * The national code lists over FHIR (issue 21 part 5): the shipped ICD-10 (Ministry of Health,
 * Vietnamese and English) and administrative units, read by anyone signed in whose token may read
 * the terminology types; bad parameters are a 400 OperationOutcome, unknown lists a 404, writes a 405.
 */
describe('terminology service', () => {
  let t: TestApp;
  let sys: Fhir;
  let patient: Fhir;
  let doctor: Fhir;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    const pid = (
      await sys.post('Patient', { resourceType: 'Patient', name: [{ family: 'Lê', given: ['Mã'] }] })
    ).body.id as string;
    const dr = (await sys.post('Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Võ' }] }))
      .body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['term.patient', 'patient', `Patient/${pid}`],
      ['term.doctor', 'practitioner', `Practitioner/${dr}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    patient = new Fhir(t.url, tokens['term.patient']!);
    doctor = new Fhir(t.url, tokens['term.doctor']!);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('ICD-10 is loaded whole: ≥ 10,000 codes expandable from the all-codes value set, in Vietnamese and English', async () => {
    const r = await doctor.get(`ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&count=5`);
    expect(r.status).toBe(200);
    expect(r.body.resourceType).toBe('ValueSet');
    const exp = r.body.expansion as {
      total: number;
      contains: { code: string; system: string }[];
      parameter: Param[];
    };
    expect(exp.total).toBeGreaterThanOrEqual(10000);
    expect(exp.contains).toHaveLength(5);
    expect(exp.contains.every((c) => c.system === ICD)).toBe(true);
    expect(exp.parameter.find((p) => p.name === 'used-codesystem')?.valueUri).toMatch(
      /^http:\/\/hl7\.org\/fhir\/sid\/icd-10\|/,
    );
    // Paging to the end gives every code exactly once.
    const codes = new Set<string>();
    for (let offset = 0; offset < exp.total; offset += 1000) {
      const page = await doctor.get(
        `ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&offset=${offset}&count=1000`,
      );
      for (const c of (page.body.expansion as { contains: { code: string }[] }).contains) codes.add(c.code);
    }
    expect(codes.size).toBe(exp.total);
    expect(codes.has('A97.1')).toBe(true);
    expect(codes.has('J18.9')).toBe(true);
  });

  it('$expand filters accent-insensitively in both languages, typed codes first', async () => {
    const q = (filter: string, lang = 'vi') =>
      doctor.get(
        `ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&filter=${encodeURIComponent(filter)}&count=20&displayLanguage=${lang}`,
      );
    const noAccents = await q('sot xuat huyet dengue');
    const contains = (
      noAccents.body.expansion as {
        contains: { code: string; display: string; designation: { language: string; value: string }[] }[];
      }
    ).contains;
    // ICD-10 2019 as TT 06/2026 adopts it: dengue is A97.x (A90/A91 were deleted by WHO's update).
    const a97 = contains.find((c) => c.code === 'A97.1');
    expect(a97?.display).toBe('Bệnh sốt xuất huyết Dengue có dấu hiệu cảnh báo');
    expect(a97?.designation.find((d) => d.language === 'en')?.value).toBe('Dengue with warning signs');
    const withAccents = await q('Sốt xuất huyết Dengue');
    expect((withAccents.body.expansion as { total: number }).total).toBe(
      (noAccents.body.expansion as { total: number }).total,
    );
    const code = await q('j18');
    expect((code.body.expansion as { contains: { code: string }[] }).contains[0]!.code).toBe('J18');
    const en = await q('pneumonia', 'en');
    const enContains = (en.body.expansion as { contains: { code: string; display: string }[] }).contains;
    expect(enContains.length).toBeGreaterThan(0);
    expect(enContains.every((c) => /pneumoni/i.test(c.display))).toBe(true);
  });

  it('$lookup gives both names, the parent and the declared properties', async () => {
    const r = await patient.get(
      `CodeSystem/$lookup?system=${encodeURIComponent(ICD)}&code=A00.0&displayLanguage=en`,
    );
    expect(r.status).toBe(200);
    expect(param(r.body, 'display')?.valueString).toMatch(/Cholera/);
    const designations = (r.body.parameter as Param[]).filter((p) => p.name === 'designation');
    expect(designations.map((d) => d.part?.find((x) => x.name === 'language')?.valueCode).sort()).toEqual([
      'en',
      'vi',
    ]);
    const props = (r.body.parameter as Param[])
      .filter((p) => p.name === 'property')
      .map((p) => [p.part?.[0]?.valueCode, p.part?.[1]?.valueCode ?? p.part?.[1]?.valueBoolean]);
    expect(props).toContainEqual(['parent', 'A00']);
    const missing = await patient.get(`CodeSystem/$lookup?system=${encodeURIComponent(ICD)}&code=E11.65`);
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
  });

  it('$validate-code knows the main-diagnosis and one-sex rules of the list', async () => {
    const v = async (q: string) => {
      const r = await doctor.get(`ValueSet/$validate-code?url=${encodeURIComponent(ICD_VS)}&${q}`);
      expect(r.status).toBe(200);
      return {
        result: param(r.body, 'result')?.valueBoolean,
        message: param(r.body, 'message')?.valueString,
      };
    };
    expect((await v('code=I10')).result).toBe(true);
    expect((await v('code=I10&usage=primary-diagnosis')).result).toBe(true);
    expect((await v('code=E11.65')).result).toBe(false); // ICD-10-CM, not WHO ICD-10
    expect((await v('code=A00-A09')).result).toBe(false); // a block is a heading
    const star = await v('code=G01&usage=primary-diagnosis'); // an asterisk code (meningitis in …)
    expect(star.result).toBe(false);
    expect(star.message).toMatch(/main diagnosis \(asterisk/);
    expect((await v('code=G01')).result).toBe(true); // valid as a secondary code
    expect((await v('code=J18&usage=primary-diagnosis')).message).toMatch(/more specific codes/);
    expect((await v('code=J18.9&usage=primary-diagnosis')).result).toBe(true);
    expect((await v('code=W01&usage=primary-diagnosis')).message).toMatch(/external cause/);
    const male = await v('code=O80.0&sex=male');
    expect(male.result).toBe(true); // "only or mainly" one sex: a warning
    expect(male.message).toMatch(/females only or mainly/);
    expect((await v('code=O80.0&sex=female')).message).toBeUndefined();
    // POST Parameters with a coding
    const post = await doctor.post('CodeSystem/$validate-code', {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'coding',
          valueCoding: { system: ICD, code: 'A97.9', display: 'benh sot xuat huyet dengue, khong xac dinh' },
        },
      ],
    });
    expect(post.status).toBe(200);
    expect(param(post.body, 'result')?.valueBoolean).toBe(true);
  });

  it('administrative units: 34 provinces, communes under them, old units translated to the new ones', async () => {
    const provinces = await doctor.get(
      `ValueSet/$expand?url=${encodeURIComponent(`${UNITS}?fhir_vs`)}&filter=${encodeURIComponent('Cần Thơ')}&count=50`,
    );
    expect(provinces.status).toBe(200);
    const ct = (provinces.body.expansion as { contains: { code: string; display: string }[] }).contains.find(
      (c) => /^Thành phố Cần Thơ$/.test(c.display),
    );
    expect(ct).toBeDefined();
    const look = await doctor.get(
      `CodeSystem/$lookup?system=${encodeURIComponent(UNITS)}&code=${ct!.code}&property=child`,
    );
    expect((look.body.parameter as Param[]).filter((p) => p.name === 'property').length).toBeGreaterThan(50);
    const tr = await doctor.get(`ConceptMap/$translate?url=${encodeURIComponent(UNITS_MAP)}&code=94`); // Sóc Trăng (old)
    expect(tr.status).toBe(200);
    expect(param(tr.body, 'result')?.valueBoolean).toBe(true);
    const match = (tr.body.parameter as Param[]).find((p) => p.name === 'match');
    expect(match?.part?.find((p) => p.name === 'concept')?.valueCoding).toMatchObject({
      system: UNITS,
      code: ct!.code,
    });
  });

  it('bad input is a 400 OperationOutcome, an unknown list a 404, writes a 405; nothing changes', async () => {
    const bad = await doctor.get(`ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&count=-1`);
    expect(bad.status).toBe(400);
    expect(codeOf(bad)).toBe('TERMINOLOGY.BAD_PARAMETER');
    expect((await doctor.get('ValueSet/$expand')).status).toBe(400);
    expect(
      (await doctor.get(`ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&displayLanguage=fr`)).status,
    ).toBe(400);
    expect(
      (await doctor.get(`ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&filter=${'x'.repeat(201)}`))
        .status,
    ).toBe(400);
    const unknown = await doctor.get('ValueSet/$expand?url=http%3A%2F%2Fexample.org%2Fnone');
    expect(unknown.status).toBe(404);
    expect(codeOf(unknown)).toBe('TERMINOLOGY.NOT_FOUND');
    const notParams = await doctor.post('ValueSet/$expand', { resourceType: 'Patient' });
    expect(notParams.status).toBe(400);
    const write = await sys.post('CodeSystem', {
      resourceType: 'CodeSystem',
      url: ICD,
      status: 'active',
      content: 'complete',
    });
    expect(write.status).toBe(405);
    expect(codeOf(write)).toBe('TERMINOLOGY.READ_ONLY');
    expect(
      (await sys.put('ValueSet/x', { resourceType: 'ValueSet', id: 'x', status: 'active' })).status,
    ).toBe(405);
    expect((await sys.get('CodeSystem?url=http://hl7.org/fhir/sid/icd-10')).body.total ?? 0).toBe(0);
  });

  it('needs a token that may read the terminology types', async () => {
    const anon = await fetch(`${t.url}/fhir/ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}`);
    expect(anon.status).toBe(401);
    const res = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'term.patient',
      password: PASSWORD,
      scope: 'patient/Observation.rs',
    });
    const narrowed = new Fhir(t.url, ((await res.json()) as { access_token: string }).access_token);
    expect((await narrowed.get(`ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&count=1`)).status).toBe(
      403,
    );
  });
});
