import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCodeSystemFolder } from '@mekong/terminology';

/**
 * Data checks for ICD-10 with the Ministry of Health's labels (docs/terminology/icd10.md): format,
 * size, hierarchy, the TT 06/2026 rows checked by hand, and the main-diagnosis / sex columns.
 */
const CS = readCodeSystemFolder(join(__dirname));
const byCode = new Map(CS.concepts.map((c) => [c.code, c]));
const get = (code: string) => {
  const c = byCode.get(code);
  if (!c) throw new Error(`${code} missing`);
  return c;
};

describe('ICD-10 (Thông tư 06/2026/TT-BYT labels)', () => {
  it('is WHO ICD-10 with the declared properties, in order', () => {
    expect(CS.meta.url).toBe('http://hl7.org/fhir/sid/icd-10');
    expect(CS.meta.valueSet).toBe('http://hl7.org/fhir/ValueSet/icd-10');
    expect(CS.meta.properties?.map((p) => p.code)).toEqual(['level', 'primary', 'primary_rule', 'sex', 'abstract']);
    const header = readFileSync(join(__dirname, 'concepts.tsv'), 'utf8')
      .split('\n')
      .find((l) => !l.startsWith('#'));
    expect(header).toBe('code\tdisplay_vi\tdisplay_en\tparent\tlevel\tprimary\tprimary_rule\tsex\tabstract');
  });

  it('has the 22 chapters, abstract, with the Ministry names', () => {
    const chapters = CS.concepts.filter((c) => c.properties.level === 'chapter');
    expect(chapters.map((c) => c.code)).toEqual([
      'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI',
      'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX', 'XXI', 'XXII',
    ]);
    for (const c of chapters) expect([c.properties.abstract, c.properties.primary, c.parent]).toEqual([true, false, undefined]);
    expect([get('I').vi, get('I').en]).toEqual(['Bệnh truyền nhiễm và ký sinh trùng', 'Certain infectious and parasitic diseases']);
    expect(get('XX').en).toBe('External causes of morbidity and mortality');
  });

  it('English titles: the Ministry printing, else WHO ICD-10 2019 for the codes en-who-2019.txt lists; none composed', () => {
    const fromWho = readFileSync(join(__dirname, 'en-who-2019.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(fromWho).toHaveLength(985);
    for (const code of fromWho) expect([code, get(code).en.length > 0]).toEqual([code, true]);
    // rows WHO titles filled (K71.2–M99.x were missing from the Ministry PDF's extraction)
    expect(get('K71.2').en).toBe('Toxic liver disease with acute hepatitis');
    expect(get('L40.0').en).toBe('Psoriasis vulgaris');
    // chapter XIII's 5th-character site codes are not listed by WHO one by one: left empty
    expect(get('M00.00').en).toBe('');
    const empty = CS.concepts.filter((c) => c.properties.level !== 'chapter' && !c.en);
    expect(empty).toHaveLength(1892);
  });

  it('has at least 10,000 unique codes in WHO ICD-10 form (no ICD-10-CM 6–7 character codes)', () => {
    const codes = CS.concepts.filter((c) => c.properties.level !== 'chapter');
    expect(codes.length).toBeGreaterThanOrEqual(10000);
    expect(byCode.size).toBe(CS.concepts.length);
    const bad = codes.filter(
      (c) =>
        !/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$/.test(c.code) ||
        c.vi === '' ||
        c.properties.level !== (c.code.length === 3 ? 'category' : 'subcategory') ||
        c.properties.abstract !== false,
    );
    expect(bad.map((c) => c.code)).toEqual([]);
    // ICD-10-CM only (not WHO): must not be here.
    expect(byCode.has('E11.65')).toBe(false);
  });

  it('links every category to its chapter and every subcategory to an existing parent', () => {
    const orphans = CS.concepts.filter((c) => {
      if (c.properties.level === 'chapter') return c.parent !== undefined;
      if (c.properties.level === 'category') return c.parent === undefined || byCode.get(c.parent)?.properties.level !== 'chapter';
      return c.parent === undefined || !byCode.has(c.parent) || !c.code.startsWith(c.parent);
    });
    expect(orphans.map((c) => c.code)).toEqual([]);
    expect(get('A00.0').parent).toBe('A00');
    expect(get('I70.00').parent).toBe('I70.0');
    expect(get('A00').parent).toBe('I');
    expect(get('D48').parent).toBe('II');
    expect(get('D50').parent).toBe('III');
    expect(get('T98').parent).toBe('XIX');
    expect(get('U82').parent).toBe('XXII');
  });

  it('carries the Ministry labels of rows checked against the TT 06 Phụ lục', () => {
    expect([get('A00').vi, get('A00').en]).toEqual(['Bệnh tả', 'Cholera']);
    expect(get('A00.0').vi).toBe('Bệnh tả do vi khuẩn Vibrio cholerae 01, típ sinh học cholerae');
    expect(get('A00.0').en).toBe('Cholera due to Vibrio cholerae 01, biovar cholerae');
    expect(get('A01').vi).toBe('Bệnh thương hàn và/hoặc bệnh phó thương hàn');
    expect(get('A03.0').vi).toBe('Bệnh lỵ trực khuẩn do Shigella dysenteriae');
    expect(get('A16.2').en).toBe(
      'Tuberculosis of lung, without mention of bacteriological or histological confirmation',
    );
    expect([get('I10').vi, get('I10').en]).toEqual([
      'Bệnh tăng huyết áp vô căn (nguyên phát)',
      'Essential (primary) hypertension',
    ]);
    expect([get('E11').vi, get('E11').en]).toEqual(['Bệnh đái tháo đường típ 2', 'Type 2 diabetes mellitus']);
    expect([get('J18.9').vi, get('J18.9').en]).toEqual(['Viêm phổi, không xác định', 'Pneumonia, unspecified']);
    expect([get('O80').vi, get('O80').en]).toEqual(['Đẻ thường một thai', 'Single spontaneous delivery']);
  });

  it('marks codes that may not be the main diagnosis, with the rule', () => {
    // Asterisk (manifestation) codes: WHO Vol. 2 §3.1.3, and TT 06 column 24.
    for (const code of ['G01', 'K77.0', 'D63'])
      expect([get(code).properties.primary, get(code).properties.primary_rule]).toEqual([false, 'asterisk']);
    // Chapter XX external causes: TT 06 column 24.
    for (const code of ['V01', 'Y98'])
      expect([get(code).properties.primary, get(code).properties.primary_rule]).toEqual([false, 'external-cause']);
    expect(get('B95').properties.primary_rule).toBe('not-main');
    // Column 26: a category with a more specific code.
    expect([get('A00').properties.primary, get('A00').properties.primary_rule]).toEqual([false, 'use-more-specific']);
    expect(get('A00.0').properties.primary).toBe(true);
    expect(get('I10').properties.primary).toBe(true);
    const inconsistent = CS.concepts.filter((c) => {
      if (c.properties.level === 'chapter') return c.properties.primary_rule !== undefined;
      const rule = c.properties.primary_rule;
      return c.properties.primary === false ? !rule : rule !== undefined && rule !== 'discouraged';
    });
    expect(inconsistent.map((c) => c.code)).toEqual([]);
  });

  it('records the one-sex codes of TT 06 columns 28–29', () => {
    expect(get('N40').properties.sex).toBe('M');
    expect(get('C61').properties.sex).toBe('M');
    expect(get('O80').properties.sex).toBe('F');
    expect(get('J18.9').properties.sex).toBeUndefined();
    const sexes = new Set(CS.concepts.map((c) => c.properties.sex ?? ''));
    expect([...sexes].sort()).toEqual(['', 'F', 'M']);
  });
});
