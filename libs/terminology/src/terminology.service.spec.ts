import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir, readCodeSystemFolder, TerminologyDataError } from './data-files';
import fc from 'fast-check';
import { filterWords, fold } from './fold';

import { TerminologyNotFound, TerminologyService } from './terminology.service';

const FIXTURES = join(__dirname, 'fixtures', 'mini');
const ICD = 'http://example.org/fixture-icd';
const VS = 'http://example.org/fixture-icd/vs';

describe('TerminologyService on the format fixture', () => {
  const terms = new TerminologyService(FIXTURES);

  it('folds Vietnamese accents and đ', () => {
    expect(fold('Sốt xuất huyết Dengue')).toBe('sot xuat huyet dengue');
    expect(fold('Đẻ thường')).toBe('de thuong');
  });

  it('expands without filter: codes only, in the list order, headings with includeAbstract', () => {
    const r = terms.expand({ url: VS });
    expect(r.contains.map((c) => c.code)).toEqual([
      'A00',
      'A00.0',
      'A09',
      'A90',
      'A91',
      'G01*',
      'N40',
      'O80',
      'W01',
    ]);
    expect(terms.expand({ url: VS, includeAbstract: true }).total).toBe(11);
    expect(terms.expand({ url: `${ICD}?fhir_vs` }).total).toBe(9);
  });

  it('filters accent-insensitively, every word, codes first', () => {
    expect(terms.expand({ url: VS, filter: 'sot xuat huyet' }).contains.map((c) => c.code)).toEqual(['A91']);
    expect(terms.expand({ url: VS, filter: 'SỐT' }).contains.map((c) => c.code)).toEqual(['A90', 'A91']);
    expect(terms.expand({ url: VS, filter: 'a00' }).contains.map((c) => c.code)).toEqual(['A00', 'A00.0']);
    expect(terms.expand({ url: VS, filter: 'cholera' }).contains[0]!.code).toBe('A00');
    expect(terms.expand({ url: VS, filter: 'tả vibrio' }).contains.map((c) => c.code)).toEqual(['A00.0']);
    expect(terms.expand({ url: VS, filter: 'zzz' }).total).toBe(0);
  });

  it('pages with offset and count', () => {
    const r = terms.expand({ url: VS, offset: 2, count: 3 });
    expect(r.total).toBe(9);
    expect(r.contains.map((c) => c.code)).toEqual(['A09', 'A90', 'A91']);
  });

  it('validates: unknown, heading, display, primary, sex, version', () => {
    expect(terms.validateCode({ system: ICD, code: 'A00' })).toMatchObject({
      result: true,
      display: 'Bệnh tả',
    });
    expect(terms.validateCode({ system: ICD, code: 'Z99.99' }).result).toBe(false);
    expect(terms.validateCode({ system: ICD, code: 'A000' }).message).toContain('did you mean A00.0');
    expect(terms.validateCode({ valueSet: VS, code: 'A00-A09' }).result).toBe(false);
    expect(terms.validateCode({ system: ICD, code: 'A00', display: 'benh ta' }).result).toBe(true);
    expect(terms.validateCode({ system: ICD, code: 'A00', display: 'Cholera' }).result).toBe(true);
    expect(terms.validateCode({ system: ICD, code: 'A00', display: 'Typhoid' }).result).toBe(false);
    const star = terms.validateCode({ system: ICD, code: 'G01*', usage: 'primary-diagnosis' });
    expect(star.result).toBe(false);
    expect(star.message).toContain('asterisk');
    expect(terms.validateCode({ system: ICD, code: 'G01*' }).result).toBe(true);
    expect(terms.validateCode({ system: ICD, code: 'W01', usage: 'primary-diagnosis' }).message).toContain(
      'external',
    );
    const n40 = terms.validateCode({ system: ICD, code: 'N40', sex: 'female' });
    expect(n40.result).toBe(true); // "only or mainly" one sex: a warning, not a refusal
    expect(n40.message).toContain('males only or mainly');
    expect(terms.validateCode({ system: ICD, code: 'N40', sex: 'male' }).result).toBe(true);
    expect(terms.validateCode({ system: ICD, code: 'O80', sex: 'male' }).message).toContain(
      'the patient is male',
    );
    expect(terms.validateCode({ system: ICD, code: 'O80', sex: 'female' }).message).toBeUndefined();
    expect(terms.validateCode({ system: ICD, code: 'A00', version: 'other' }).result).toBe(false);
    expect(() => terms.validateCode({ system: 'http://nowhere', code: 'x' })).toThrow(TerminologyNotFound);
  });

  it('translates old units to new ones', () => {
    const r = terms.translate('http://example.org/fixture-map', undefined, '31120');
    expect(r.matches).toEqual([
      expect.objectContaining({
        code: '31117',
        display: 'Phường Ninh Kiều',
        relationship: 'source-is-narrower-than-target',
      }),
    ]);
    expect(terms.translate(undefined, 'http://example.org/fixture-units-2024', '99999').matches).toEqual([]);
  });

  it('refuses a broken data file, naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'terms-'));
    cpSync(join(FIXTURES, 'icd'), dir, { recursive: true });
    const tsv = readFileSync(join(dir, 'concepts.tsv'), 'utf8');
    writeFileSync(join(dir, 'concepts.tsv'), `${tsv}A00\tBệnh tả lần hai\t\tI\tcategory\tY\t\t\tN\n`);
    expect(() => readCodeSystemFolder(dir)).toThrow(/concepts\.tsv:\d+: duplicate code A00/);
    writeFileSync(join(dir, 'concepts.tsv'), `${tsv}B00\tX\t\tNOPE\tcategory\tY\t\t\tN\n`);
    expect(() => readCodeSystemFolder(dir)).toThrow(TerminologyDataError);
    writeFileSync(join(dir, 'concepts.tsv'), tsv.replace('\tchapter\tN', '\tchapter\tmaybe'));
    expect(() => readCodeSystemFolder(dir)).toThrow(/must be Y or N/);
  });
});

describe('$expand filter on the shipped ICD-10: the 3-letter index finds exactly what a full scan finds', () => {
  const terms = new TerminologyService(defaultDataDir());
  const VS10 = 'http://hl7.org/fhir/ValueSet/icd-10';
  const all = terms.expand({ url: VS10, count: 100000 });
  const concepts = terms.expand({ url: VS10, count: 1000 }).total;
  // The oracle: the filter's definition (every folded word is in the code or a label), by brute force.
  const scan = (filter: string) => {
    const words = filterWords(filter);
    const out: string[] = [];
    for (let o = 0; o < concepts; o += 1000)
      for (const c of terms.expand({ url: VS10, offset: o, count: 1000 }).contains)
        if (words.every((w) => fold(`${c.code} ${c.vi} ${c.en}`).includes(w))) out.push(c.code);
    return out.sort();
  };
  // every page of the filtered expansion (a page holds at most 1000)
  const codes = (filter: string) => {
    const out: string[] = [];
    const total = terms.expand({ url: VS10, filter, count: 0 }).total;
    for (let o = 0; o < total; o += 1000)
      out.push(...terms.expand({ url: VS10, filter, offset: o, count: 1000 }).contains.map((c) => c.code));
    return out.sort();
  };

  it.each([
    'sot xuat huyet',
    'Sốt xuất huyết Dengue',
    'tăng huyết áp',
    'j18',
    'I10',
    'a9',
    'đái tháo đường type 2',
    'lao',
    'viem phoi',
    'xyzq',
    'o 2',
    'pneumonia unspecified',
  ])('%s', (filter) => {
    expect(all.total).toBeGreaterThan(10000);
    expect(codes(filter)).toEqual(scan(filter));
  });

  it('random pieces of real labels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.total - 1 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (i, start, len) => {
          const label = terms.expand({ url: VS10, offset: i, count: 1 }).contains[0]!.vi;
          const filter = label.slice(start, start + len);
          expect(codes(filter)).toEqual(scan(filter));
        },
      ),
      { numRuns: 25 },
    );
  });
});
