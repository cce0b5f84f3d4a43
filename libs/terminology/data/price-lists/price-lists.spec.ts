import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { readCodeSystemFolder, TerminologyService } from '@mekong/terminology';

/**
 * Data check for issue 21 part 5 (national code lists): the code system folders load in the
 * loader's format, say what they cover, cite a source per row, and the price-list files match
 * their schema. docs/terminology/national-lists.md describes the lists.
 */
const DATA = join(__dirname, '..');
const HERE = __dirname;
const REPO = join(DATA, '..', '..', '..');
const FOLDERS = [
  'qd130-loai-hoso',
  'qd130-ma-loai-kcb',
  'qd130-ma-doituong-kcb',
  'qd130-ket-qua-dtri',
  'qd130-ma-loai-rv',
  'qd130-ma-pttt',
  'qd130-nguon-ctra',
  'qd130-pham-vi',
  'qd130-gioi-tinh',
  'qd130-ma-nhom',
  'drugs-bhyt',
  'services-bhyt',
];
type CodeSystemFolder = ReturnType<typeof readCodeSystemFolder>;
const load = (name: string): CodeSystemFolder => readCodeSystemFolder(join(DATA, name));
const codes = (name: string): string[] => load(name).concepts.map((c) => c.code);
const json = (file: string): unknown => JSON.parse(readFileSync(join(HERE, file), 'utf8'));

describe('national code lists (QĐ 130/4750, DMDC, TT 23/2024)', () => {
  it.each(FOLDERS)('%s loads, has a fhir.mekong.health URL, a citation and a source for every row', (name) => {
    const cs = load(name);
    expect(cs.meta.url.startsWith('https://fhir.mekong.health/CodeSystem/')).toBe(true);
    expect(cs.meta.citation?.length).toBeGreaterThan(0);
    expect(cs.concepts.length).toBeGreaterThan(0);
    expect(cs.meta.properties?.some((p) => p.code === 'source')).toBe(true);
    expect(cs.concepts.filter((c) => String(c.properties.source ?? '') === '').map((c) => c.code)).toEqual([]);
    expect(cs.concepts.filter((c) => c.vi === '').map((c) => c.code)).toEqual([]);
  });

  it('a subset says so: content "fragment" and an [unverified] note; unverified rows carry verified = N', () => {
    const all = FOLDERS.map(load);
    const fragmentsWithoutNote = all
      .filter((cs) => cs.meta.content === 'fragment' && !cs.meta.unverified?.some((u) => u.includes('subset')))
      .map((cs) => cs.meta.url);
    expect(fragmentsWithoutNote).toEqual([]);
    const unverifiedMarkedVerified = all
      .flatMap((cs) => cs.concepts)
      .filter((c) => String(c.properties.source ?? '').includes('[unverified]') && c.properties.verified !== false)
      .map((c) => c.code);
    expect(unverifiedMarkedVerified).toEqual([]);
    expect(['qd130-ma-nhom', 'drugs-bhyt', 'services-bhyt'].map((n) => load(n).meta.content)).toEqual([
      'fragment',
      'fragment',
      'fragment',
    ]);
  });

  it('MA_LOAI_KCB: 01–16; remote care 14 is present but marked unverified', () => {
    const cs = load('qd130-ma-loai-kcb');
    expect(cs.concepts.map((c) => c.code)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0')));
    const fourteen = cs.concepts.find((c) => c.code === '14');
    expect(fourteen?.vi).toBe('Khám bệnh, chữa bệnh từ xa');
    expect(fourteen?.properties.verified).toBe(false);
    expect(cs.concepts.find((c) => c.code === '01')?.properties.verified).toBe(true);
  });

  it('MA_DOITUONG_KCB: the 27 codes of QĐ 3276 Phụ lục 1 in their priority order', () => {
    const list = codes('qd130-ma-doituong-kcb');
    expect(list).toHaveLength(27);
    expect(list.slice(0, 3)).toEqual(['1.1', '1.2', '1.3']);
    expect(list).toContain('2');
    expect(list.slice(-3)).toEqual(['8', '9', '10']);
  });

  it('XML table types XML0–XML15; XML12 is not sent by the facility', () => {
    const cs = load('qd130-loai-hoso');
    expect(cs.concepts.map((c) => c.code)).toEqual(Array.from({ length: 16 }, (_, i) => `XML${i}`));
    expect(cs.concepts.find((c) => c.code === 'XML12')?.properties.inGiamDinhHs).toBe(false);
    expect(cs.concepts.find((c) => c.code === 'XML1')?.properties.rootElement).toBe('TONG_HOP');
  });

  it('small inline lists match the decision text', () => {
    expect(codes('qd130-ket-qua-dtri')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(codes('qd130-ma-loai-rv')).toEqual(['1', '2', '3', '4', '5']);
    expect(codes('qd130-ma-pttt')).toEqual(['1', '2', '3']);
    expect(codes('qd130-gioi-tinh')).toEqual(['1', '2', '3']);
  });

  it('the terminology service loads them: value sets expand, search finds remote care accent-insensitively', () => {
    const dir = mkdtempSync(join(tmpdir(), 'national-lists-'));
    try {
      for (const name of FOLDERS) cpSync(join(DATA, name), join(dir, name), { recursive: true });
      const terms = new TerminologyService(dir);
      terms.load();
      expect(terms.codeSystems()).toHaveLength(FOLDERS.length);
      const vs = 'https://fhir.mekong.health/ValueSet/qd130-ma-loai-kcb';
      expect(terms.expand({ url: vs }).total).toBe(16);
      expect(terms.expand({ url: vs, filter: 'chua benh tu xa' }).contains.map((c) => c.code)).toEqual(['14']);
      expect(terms.find('https://fhir.mekong.health/CodeSystem/qd130-ma-doituong-kcb', '1.1')?.vi).toMatch(/^Đến KCB đúng cơ sở/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('price lists and benefit levels', () => {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(json('price-list.schema.json') as object);

  it('the example price list matches the schema and cites every item', () => {
    const ok = validate(json('test-facility-example.json'));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema refuses an item without a citation or a non-VND currency', () => {
    const base = json('test-facility-example.json') as { items: Record<string, unknown>[] };
    const noCitation = { ...base, items: [{ ...base.items[0], citation: undefined }] };
    expect(validate(JSON.parse(JSON.stringify(noCitation)))).toBe(false);
    expect(validate({ ...base, currency: 'USD' })).toBe(false);
  });

  it('benefit levels are 100/95/80 % with their article, and the card mapping is marked unverified', () => {
    const b = json('benefit-levels.json') as {
      levels: { percent: number; basis: string }[];
      card: { benefitCodes: { code: string; verified: boolean }[]; unverified: string[] };
    };
    expect(b.levels.map((l) => l.percent)).toEqual([100, 95, 80]);
    for (const l of b.levels) expect(l.basis).toMatch(/Điều 22 khoản 1/);
    expect(b.card.benefitCodes.map((c) => c.code)).toEqual(['1', '2', '3', '4', '5']);
    expect(b.card.benefitCodes.every((c) => !c.verified)).toBe(true);
    expect(b.card.unverified.length).toBeGreaterThan(0);
  });
});

describe('scripts/terminology/lists-import.mjs', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports an official-layout CSV into a folder the loader accepts, keeping cited rows on request', () => {
    dir = mkdtempSync(join(tmpdir(), 'lists-import-'));
    const folder = join(dir, 'drugs');
    cpSync(join(DATA, 'drugs-bhyt'), folder, { recursive: true });
    const csv = join(dir, 'official.csv');
    writeFileSync(
      csv,
      'Mã hoạt chất,Tên hoạt chất,Đường dùng,STT TT20,Ghi chú\n' +
        '"40.1","Atropin sulfat","Tiêm","1",""\n' +
        ',"I. THUỐC GÂY TÊ, MÊ",,,\n' +
        '40.2,"Bupivacain\nhydroclorid",Tiêm,2,"Thanh toán 50%"\n',
    );
    execFileSync(
      process.execPath,
      [
        join(REPO, 'scripts/terminology/lists-import.mjs'),
        '--folder', folder,
        '--in', csv,
        '--map', 'code=Mã hoạt chất,vi=Tên hoạt chất,route=Đường dùng,tt20Stt=STT TT20,conditions=Ghi chú,verified=!Y,source=!test file,kind=!active-ingredient',
        '--version', 'test-1',
        '--content', 'fragment',
        '--keep-existing',
      ],
      { encoding: 'utf8' },
    );
    const cs = readCodeSystemFolder(folder);
    expect(cs.meta.version).toBe('test-1');
    const byCode = new Map(cs.concepts.map((c) => [c.code, c]));
    expect(byCode.get('40.2')?.vi).toBe('Bupivacain hydroclorid');
    expect(byCode.get('40.2')?.properties.conditions).toBe('Thanh toán 50%');
    expect(byCode.get('40.1')?.properties.verified).toBe(true);
    expect(byCode.has('40.17')).toBe(true);
    expect(cs.concepts).toHaveLength(load('drugs-bhyt').concepts.length + 2);
  });
});
