import { validateXML } from 'xmllint-wasm';
import * as fc from 'fast-check';
import { buildCheckIn, buildClaim, type CheckInInput } from './build-claim';
import { insuredVisit } from './claim-fixture';
import { TABLES, type TableId } from './fields';
import type { ClaimInput, DrugLine, ServiceLine } from './model';
import { fmt, parseDec, sum, type Dec } from './money';
import { validateClaim } from './validate-claim';
import { envelopeXsd, tableXsd } from './xsd';

const opts = { createdAt: '2026-12-06T11:00:00+07:00' };

async function xsdErrors(id: TableId | 'ENV', xml: string): Promise<string[]> {
  const schema = id === 'ENV' ? envelopeXsd() : tableXsd(id);
  const r = await validateXML({
    xml: [{ fileName: 'claim.xml', contents: xml }],
    schema: [{ fileName: 'schema.xsd', contents: schema }],
  });
  return r.errors.map((e) => e.message);
}

function tag(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
}

describe('buildClaim (QĐ 130/4750/3176 tables)', () => {
  it('builds an insured outpatient visit whose tables and envelope pass the generated XSDs', async () => {
    const out = buildClaim(insuredVisit(), opts);
    expect(Object.keys(out.tables).sort()).toEqual(['XML0', 'XML1', 'XML14', 'XML2', 'XML3', 'XML4']);
    for (const [id, xml] of Object.entries(out.tables) as Array<[TableId, string]>) {
      expect({ id, errors: await xsdErrors(id, xml) }).toEqual({ id, errors: [] });
      expect(tag(xml, 'MA_LK').every((v) => v === 'MK2026120600001')).toBe(true);
    }
    expect(await xsdErrors('ENV', out.envelope)).toEqual([]);
    expect(validateClaim(out.tables)).toEqual([]);
    // NOIDUNGFILE is the base64 of each table except XML0 (check-in is sent on its own).
    const files = tag(out.envelope, 'NOIDUNGFILE').map((b) => Buffer.from(b, 'base64').toString('utf8'));
    expect(tag(out.envelope, 'LOAIHOSO')).toEqual(['XML1', 'XML2', 'XML3', 'XML4', 'XML14']);
    expect(files).toEqual([
      out.tables.XML1,
      out.tables.XML2,
      out.tables.XML3,
      out.tables.XML4,
      out.tables.XML14,
    ]);
    expect(tag(out.envelope, 'NGAYLAP')).toEqual(['20261206']);
  });

  it('buildCheckIn makes the check-in alone, the same document as the claim’s XML0 given the same first charge', async () => {
    const input = insuredVisit();
    const claimXml0 = buildClaim(input, opts).tables.XML0!;
    // the earliest line is the first charge
    const charges: NonNullable<CheckInInput['firstCharge']>[] = [
      ...input.services.map((line) => ({ kind: 'service' as const, line })),
      ...input.drugs.map((line) => ({ kind: 'drug' as const, line })),
    ];
    const at = (c: (typeof charges)[number]) => new Date(c.line.orderedAt).getTime();
    const firstCharge = charges.sort((x, y) => at(x) - at(y))[0];
    const alone = buildCheckIn({
      visit: input.visit,
      patient: input.patient,
      coverage: input.coverage,
      firstCharge,
    });
    expect(alone).toBe(claimXml0);
    const v = await validateXML({
      xml: [{ fileName: 'xml0.xml', contents: alone }],
      schema: [{ fileName: 'xml0.xsd', contents: tableXsd('XML0') }],
    });
    expect(v.errors).toEqual([]);
  });

  it('writes Vietnam-time dates, exact rounded amounts, UTF-8 text and escapes markup', () => {
    const out = buildClaim(insuredVisit(), opts);
    const x1 = out.tables.XML1 ?? '';
    expect(tag(x1, 'NGAY_VAO')).toEqual(['202612060805']);
    expect(tag(x1, 'NGAY_SINH')).toEqual(['199003150000']);
    expect(x1).toContain('<HO_TEN>Nguyễn Thị Hoà &lt;&amp;&gt; Test</HO_TEN>');
    // 10 × 315.5 = 3155; 3155 + 38700 + 46200 = 88055; BHTT 80 % = 70444; co-pay 17611
    expect(tag(x1, 'T_THUOC')).toEqual(['3155']);
    expect(tag(x1, 'T_TONGCHI_BV')).toEqual(['88055']);
    expect(tag(x1, 'T_BHTT')).toEqual(['70444']);
    expect(tag(x1, 'T_BNCCT')).toEqual(['17611']);
    expect(tag(x1, 'T_BNTT')).toEqual(['0']);
    const x0 = out.tables.XML0 ?? '';
    expect(tag(x0, 'MA_DICH_VU')).toEqual(['02.1896']); // first charge: the consultation at 08:10
    expect(tag(x0, 'NGAY_YL')).toEqual(['202612060810']);
  });

  it('wraps free text in CDATA on request, splitting "]]>"', async () => {
    const input = insuredVisit();
    const out = buildClaim(
      { ...input, patient: { ...input.patient, fullName: 'A ]]> B' } },
      { ...opts, cdata: true },
    );
    expect(out.tables.XML1).toContain('<HO_TEN><![CDATA[A ]]]]><![CDATA[> B]]></HO_TEN>');
    expect(await xsdErrors('XML1', out.tables.XML1 ?? '')).toEqual([]);
    expect(validateClaim(out.tables)).toEqual([]);
  });

  it('an uninsured patient gets no card and only the allowed tables', async () => {
    const base = insuredVisit();
    const input: ClaimInput = {
      ...base,
      coverage: { kind: 'none' },
      visit: { ...base.visit, visitCategory: '9' },
    };
    const out = buildClaim(input, opts);
    expect(Object.keys(out.tables)).toEqual(['XML1']); // outpatient: XML8 is only for MA_LOAI_KCB 03/04/06
    const x1 = out.tables.XML1 ?? '';
    for (const f of ['MA_THE_BHYT', 'MA_DKBD', 'GT_THE_TU', 'GT_THE_DEN', 'MA_KHUVUC'])
      expect(tag(x1, f)).toEqual(['']);
    expect(tag(x1, 'T_TONGCHI_BV')).toEqual(['88055']);
    expect(tag(x1, 'T_BHTT')).toEqual(['0']);
    expect(tag(x1, 'T_BNTT')).toEqual(['88055']);
    expect(await xsdErrors('XML1', x1)).toEqual([]);
    expect(tag(out.envelope, 'LOAIHOSO')).toEqual(['XML1']);
    expect(validateClaim(out.tables)).toEqual([]);

    const inpatient = buildClaim({ ...input, visit: { ...input.visit, careType: '03' } }, opts);
    expect(Object.keys(inpatient.tables).sort()).toEqual(['XML1', 'XML8']);
    expect(await xsdErrors('XML8', inpatient.tables.XML8 ?? '')).toEqual([]);
    // the policy is an option until the rule is confirmed
    const withDetails = buildClaim(input, { ...opts, uninsuredTables: ['XML0', 'XML1', 'XML2', 'XML3'] });
    expect(Object.keys(withDetails.tables).sort()).toEqual(['XML0', 'XML1', 'XML2', 'XML3']);
    expect(tag(withDetails.tables.XML0 ?? '', 'MA_THE_BHYT')).toEqual(['']);
    expect(validateClaim(withDetails.tables)).toEqual([]);
  });

  it('takes personal support from other sources off T_BNTT, then T_BNCCT, then T_BHTT (Bảng 2/3 T_NGUONKHAC case a)', () => {
    const base = insuredVisit();
    // 10 × 315.5 = 3155 in scope at 100 %, benefit 80 %: BHTT 2524, BNCCT 631, BNTT 0
    const out = buildClaim(
      { ...base, services: [], results: [], drugs: [{ ...base.drugs[0], otherSources: 700 }] },
      opts,
    );
    const x2 = out.tables.XML2 ?? '';
    expect([tag(x2, 'T_BNTT'), tag(x2, 'T_BNCCT'), tag(x2, 'T_BHTT'), tag(x2, 'T_NGUONKHAC')]).toEqual([
      ['0'],
      ['0'],
      ['2455'],
      ['700'],
    ]);
    expect(validateClaim(out.tables)).toEqual([]);
  });

  it('counts supplies (rows with MA_VAT_TU) in T_VTYT and writes NGAY_HEN_KL with 12 digits', () => {
    const base = insuredVisit();
    const supply: ServiceLine = {
      ...base.services[0],
      code: undefined,
      name: undefined,
      supplyCode: 'N03.01.070.0001.001',
      supplyName: 'Bơm tiêm 5ml',
      costGroup: 10,
      facilityPrice: 1200.5,
      quantity: 2,
    };
    const out = buildClaim({ ...base, services: [...base.services, supply] }, opts);
    expect(tag(out.tables.XML1 ?? '', 'T_VTYT')).toEqual(['2401']);
    expect(tag(out.tables.XML14 ?? '', 'NGAY_HEN_KL')).toEqual(['202612130800']);
    expect(tag(out.tables.XML1 ?? '', 'NGAY_TAI_KHAM')).toEqual(['20261213']);
    expect(validateClaim(out.tables)).toEqual([]);
  });

  it('sends XML8 for insured inpatient care types only (or when asked)', () => {
    const input = insuredVisit();
    expect(buildClaim(input, opts).tables.XML8).toBeUndefined(); // MA_LOAI_KCB 01
    expect(
      buildClaim({ ...input, visit: { ...input.visit, careType: '03' } }, opts).tables.XML8,
    ).toBeDefined();
    expect(buildClaim(input, { ...opts, includeSummary: true }).tables.XML8).toBeDefined();
  });

  it('rejects prices with more than 3 decimals and instants without an offset', () => {
    const input = insuredVisit();
    expect(() => buildClaim({ ...input, drugs: [{ ...input.drugs[0], unitPrice: 1.2345 }] }, opts)).toThrow(
      /3 decimals/,
    );
    expect(() =>
      buildClaim({ ...input, visit: { ...input.visit, endedAt: '2026-12-06T10:40:00' } }, opts),
    ).toThrow(/offset/);
    expect(() =>
      buildClaim({ ...input, services: [{ ...input.services[0], insurancePrice: 40000 }] }, opts),
    ).toThrow(/exceeds/);
    const many = Array.from({ length: 13 }, (_, i) => ({ code: `R${10 + i}`, name: 'x' }));
    expect(() =>
      buildClaim(
        { ...input, visit: { ...input.visit, diagnoses: { ...input.visit.diagnoses, secondary: many } } },
        opts,
      ),
    ).toThrow(/12/);
  });
});

describe('the schemas are real: bad values fail', () => {
  const good = (): string => buildClaim(insuredVisit(), opts).tables.XML1 ?? '';

  it.each([
    [
      'too long',
      (x: string) => x.replace(/<HO_TEN>[^<]*<\/HO_TEN>/, `<HO_TEN>${'A'.repeat(256)}</HO_TEN>`),
      'HO_TEN',
    ],
    ['missing required', (x: string) => x.replace(/<MA_BN>[^<]*<\/MA_BN>\n/, ''), 'MA_BN'],
    ['empty required', (x: string) => x.replace(/<MA_BN>[^<]*<\/MA_BN>/, '<MA_BN></MA_BN>'), 'MA_BN'],
    [
      'malformed date',
      (x: string) => x.replace(/<NGAY_VAO>\d+<\/NGAY_VAO>/, '<NGAY_VAO>2026-12-06</NGAY_VAO>'),
      'NGAY_VAO',
    ],
    [
      'non-numeric amount',
      (x: string) => x.replace(/<T_BHTT>[^<]*<\/T_BHTT>/, '<T_BHTT>70,444</T_BHTT>'),
      'T_BHTT',
    ],
    [
      'bad code value',
      (x: string) => x.replace(/<GIOI_TINH>\d<\/GIOI_TINH>/, '<GIOI_TINH>4</GIOI_TINH>'),
      'GIOI_TINH',
    ],
  ])('%s', async (_name, mutate, field) => {
    const bad = mutate(good());
    expect(bad).not.toEqual(good());
    expect((await xsdErrors('XML1', bad)).length).toBeGreaterThan(0);
    expect(validateClaim({ XML1: bad }).some((e) => e.table === 'XML1' && e.field === field)).toBe(true);
  });

  it('validateClaim catches an impossible date, a foreign MA_LK and totals that do not reconcile', () => {
    const out = buildClaim(insuredVisit(), opts);
    const x1 = (out.tables.XML1 ?? '')
      .replace(/<NGAY_RA>\d+<\/NGAY_RA>/, '<NGAY_RA>202602301040</NGAY_RA>')
      .replace(/<T_TONGCHI_BV>\d+/, '<T_TONGCHI_BV>88056');
    const x2 = (out.tables.XML2 ?? '').replace(/<MA_LK>[^<]*</, '<MA_LK>OTHER<');
    const errs = validateClaim({ ...out.tables, XML1: x1, XML2: x2 });
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'XML1', field: 'NGAY_RA' }),
        expect.objectContaining({ table: 'ALL', field: 'MA_LK' }),
        expect.objectContaining({ table: 'XML1', field: 'T_TONGCHI_BV' }),
      ]),
    );
    expect(validateClaim({ XML1: '<TONG_HOP><MA_LK>x' })[0]).toEqual(
      expect.objectContaining({ table: 'XML1' }),
    );
  });
});

describe('totals reconcile (property)', () => {
  const money3 = fc.integer({ min: 0, max: 50_000_000 }).map((n) => n / 1000);
  const qty = fc.integer({ min: 1, max: 100_000 }).map((n) => n / 1000);
  const pct = fc.integer({ min: 0, max: 100 });
  const base = insuredVisit();
  const card = {
    number: 'GD4929212345678',
    registeredFacility: '92001',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  };
  const drug = fc
    .record({
      unitPrice: money3,
      quantity: qty,
      insurerRatePercent: pct,
      scope: fc.constantFrom(1 as const, 2 as const),
    })
    .map((r): DrugLine => ({ ...base.drugs[0], ...r }));
  const service = fc
    .record({
      facilityPrice: money3,
      insuranceShare: pct,
      quantity: qty,
      insurerRatePercent: pct,
      serviceRatePercent: pct,
      costGroup: fc.constantFrom(1, 10, 13),
      scope: fc.constantFrom(1 as const, 2 as const),
    })
    .map(({ insuranceShare, ...r }): ServiceLine => ({
      ...base.services[0],
      ...r,
      insurancePrice: Math.floor((r.facilityPrice * 1000 * insuranceShare) / 100) / 1000,
    }));

  const build = (
    drugs: DrugLine[],
    services: ServiceLine[],
    coverage: ClaimInput['coverage'],
  ): ReturnType<typeof buildClaim> => buildClaim({ ...base, drugs, services, results: [], coverage }, opts);
  const col = (name: string, xmls: string[]): Dec =>
    sum(xmls.flatMap((x) => tag(x, name)).map((v) => parseDec(v) ?? -1n));
  const lines = fc.tuple(fc.array(drug, { maxLength: 6 }), fc.array(service, { minLength: 1, maxLength: 6 }));

  it('insured: XML1 totals equal the sums over XML2/XML3 rows and each line splits exactly', () => {
    fc.assert(
      fc.property(lines, pct, ([drugs, services], benefit) => {
        const out = build(drugs, services, { kind: 'card', cards: [card], benefitPercent: benefit });
        const rows = [out.tables.XML2 ?? '', out.tables.XML3 ?? ''];
        const x1 = out.tables.XML1 ?? '';
        for (const [t, r] of [
          ['T_TONGCHI_BV', 'THANH_TIEN_BV'],
          ['T_TONGCHI_BH', 'THANH_TIEN_BH'],
          ['T_BHTT', 'T_BHTT'],
          ['T_BNCCT', 'T_BNCCT'],
          ['T_BNTT', 'T_BNTT'],
        ]) {
          expect(tag(x1, t)).toEqual([fmt(col(r, rows))]);
        }
        expect(tag(x1, 'T_THUOC')).toEqual([fmt(col('THANH_TIEN_BV', [rows[0]]))]);
        expect(validateClaim(out.tables)).toEqual([]);
        const t = out.totals;
        expect(t.T_TONGCHI_BV).toBe(t.T_BNTT + t.T_BNCCT + t.T_BHTT + t.T_NGUONKHAC);
        expect(t.T_TONGCHI_BH).toBe(t.T_BNCCT + t.T_BHTT);
      }),
      { numRuns: 150 },
    );
  });

  it('uninsured: nothing is paid by insurance and no card appears, whatever the lines', () => {
    fc.assert(
      fc.property(lines, ([drugs, services]) => {
        const out = build(drugs, services, { kind: 'none' });
        expect(out.totals.T_BHTT).toBe(0n);
        expect(out.totals.T_BNTT).toBe(out.totals.T_TONGCHI_BV);
        expect(tag(out.tables.XML1 ?? '', 'MA_THE_BHYT')).toEqual(['']);
        expect(Object.keys(out.tables)).toEqual(['XML1']);
      }),
      { numRuns: 50 },
    );
  });

  it('every field table lists unique elements, each with a citation; unverified notes where not read in the signed text', () => {
    for (const def of Object.values(TABLES)) {
      const names = def.fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const f of def.fields) {
        expect(f.citation).toMatch(/^QĐ 130\/QĐ-BYT Bảng .*STT (\d+|\(unnumbered)/);
        expect(f.read === 'xlsx' || f.note3176 !== undefined ? typeof f.unverified : 'none').toBe(
          f.read === 'xlsx' || f.note3176 !== undefined ? 'string' : 'none',
        );
      }
    }
    expect(TABLES.XML0.fields.map((f) => f.name)).toHaveLength(26);
    expect(TABLES.XML1.fields.map((f) => f.name)).toHaveLength(66);
  });
});
