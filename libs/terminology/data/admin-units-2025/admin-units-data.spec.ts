import { join } from 'node:path';
import { readCodeSystemFolder } from '@mekong/terminology';

/**
 * Data checks for the administrative units (docs/terminology/admin-units.md): the counts each
 * Standing Committee resolution of 16/6/2025 gives in its Điều 1 (last clause), the 63 → 34
 * provinces of Nghị quyết 202/2025/QH15, and the old → new map's integrity.
 */
const NEW = readCodeSystemFolder(join(__dirname));
const OLD = readCodeSystemFolder(join(__dirname, '..', 'admin-units-2024'));

/** Province code → [resolution, communes, xã, phường, đặc khu] as the resolution states them. */
const RESOLUTIONS: Record<string, [string, number, number, number, number]> = {
  '01': ['1656', 126, 75, 51, 0],
  '04': ['1657', 56, 53, 3, 0],
  '08': ['1684', 124, 117, 7, 0],
  '11': ['1661', 45, 42, 3, 0],
  '12': ['1670', 38, 36, 2, 0],
  '14': ['1681', 75, 67, 8, 0],
  '15': ['1673', 99, 89, 10, 0],
  '19': ['1683', 92, 77, 15, 0],
  '20': ['1672', 65, 61, 4, 0],
  '22': ['1679', 54, 22, 30, 2],
  '24': ['1658', 99, 66, 33, 0],
  '25': ['1676', 148, 133, 15, 0],
  '31': ['1669', 114, 67, 45, 2],
  '33': ['1666', 104, 93, 11, 0],
  '37': ['1674', 129, 97, 32, 0],
  '38': ['1686', 166, 147, 19, 0],
  '40': ['1678', 130, 119, 11, 0],
  '42': ['1665', 69, 60, 9, 0],
  '44': ['1680', 78, 69, 8, 1],
  '46': ['1675', 40, 19, 21, 0],
  '48': ['1659', 94, 70, 23, 1],
  '51': ['1677', 96, 86, 9, 1],
  '52': ['1664', 135, 110, 25, 0],
  '56': ['1667', 65, 48, 16, 1],
  '66': ['1660', 102, 88, 14, 0],
  '68': ['1671', 124, 103, 20, 1],
  '75': ['1662', 95, 72, 23, 0],
  '79': ['1685', 168, 54, 113, 1],
  '80': ['1682', 96, 82, 14, 0],
  '82': ['1663', 102, 82, 20, 0],
  '86': ['1687', 124, 105, 19, 0],
  '91': ['1654', 102, 85, 14, 3],
  '92': ['1668', 103, 72, 31, 0],
  '96': ['1655', 64, 55, 9, 0],
};

/** Old communes with no row in the NSO conversion table and not named by the 2025 resolutions. */
const OLD_WITHOUT_ROW = [
  '07693', '07732', '07744', '16387', '16411', '18448', '20176', '20674', '25102', '25174', '25177', '25186',
];

type CodeSystemFolder = ReturnType<typeof readCodeSystemFolder>;

const byLevel = (cs: CodeSystemFolder, level: string) => cs.concepts.filter((c) => c.properties.level === level);

describe('admin units 2025 (vn-admin-unit)', () => {
  const provinces = byLevel(NEW, 'province');
  const communes = byLevel(NEW, 'commune');

  it('has the 34 provinces of NQ 202/2025/QH15 (28 tỉnh, 6 thành phố) and the 3,321 communes', () => {
    expect(provinces.map((p) => p.code).sort()).toEqual(Object.keys(RESOLUTIONS).sort());
    expect(provinces.filter((p) => p.properties.kind === 'tỉnh')).toHaveLength(28);
    expect(provinces.filter((p) => p.properties.kind === 'thành phố trung ương')).toHaveLength(6);
    expect(communes).toHaveLength(3321);
    expect(NEW.concepts).toHaveLength(34 + 3321);
  });

  it.each(Object.entries(RESOLUTIONS))(
    'province %s has the communes its resolution counts',
    (code, [, total, xa, phuong, dacKhu]) => {
      const mine = communes.filter((c) => c.parent === code);
      const kind = (k: string) => mine.filter((c) => c.properties.kind === k).length;
      expect([mine.length, kind('xã'), kind('phường'), kind('đặc khu')]).toEqual([total, xa, phuong, dacKhu]);
    },
  );

  it('uses the official code shapes, names with their kind, and no English label', () => {
    for (const p of provinces) expect(p.code).toMatch(/^\d{2}$/);
    for (const c of communes) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(c.vi.toLowerCase().startsWith(`${String(c.properties.kind)} `)).toBe(true);
    }
    expect(NEW.concepts.every((c) => c.en === '')).toBe(true);
    expect(NEW.concepts.every((c) => c.vi === c.vi.normalize('NFC'))).toBe(true);
  });
});

describe('admin units before 01/7/2025 (vn-admin-unit-2024)', () => {
  it('has 63 provinces, 696 districts, 10,047 communes in a province → district → commune chain', () => {
    const provinces = new Set(byLevel(OLD, 'province').map((c) => c.code));
    const districts = new Map(byLevel(OLD, 'district').map((c) => [c.code, c.parent]));
    const communes = byLevel(OLD, 'commune');
    expect([provinces.size, districts.size, communes.length]).toEqual([63, 696, 10047]);
    for (const [, parent] of districts) expect(provinces.has(parent ?? '')).toBe(true);
    for (const c of communes) expect(districts.has(c.parent ?? '')).toBe(true);
  });
});

describe('map 2024 → 2025 (vn-admin-unit-2024-to-2025)', () => {
  const rows = NEW.map?.rows ?? [];
  const oldCodes = new Map(OLD.concepts.map((c) => [c.code, c]));
  const newCodes = new Map(NEW.concepts.map((c) => [c.code, c]));

  it('links codes of the two systems, with their displays and a known relationship', () => {
    expect(NEW.map?.meta.sourceSystem).toBe(OLD.meta.url);
    expect(NEW.map?.meta.targetSystem).toBe(NEW.meta.url);
    for (const r of rows) {
      expect(oldCodes.get(r.sourceCode)?.vi).toBe(r.sourceDisplay);
      expect(newCodes.get(r.targetCode)?.vi).toBe(r.targetDisplay);
      expect(['equivalent', 'source-is-narrower-than-target', 'source-is-broader-than-target', 'related-to']).toContain(
        r.relationship,
      );
    }
    expect(new Set(rows.map((r) => `${r.sourceCode}>${r.targetCode}`)).size).toBe(rows.length);
  });

  it('maps each of the 63 old provinces to one new province, 11 of them unchanged', () => {
    const provRows = rows.filter((r) => oldCodes.get(r.sourceCode)?.properties.level === 'province');
    expect(new Set(provRows.map((r) => r.sourceCode)).size).toBe(63);
    expect(provRows).toHaveLength(63);
    expect(new Set(provRows.map((r) => r.targetCode)).size).toBe(34);
    expect(provRows.filter((r) => r.relationship === 'equivalent').map((r) => r.targetCode).sort()).toEqual(
      ['01', '04', '11', '12', '14', '20', '22', '38', '40', '42', '46'],
    );
    // NQ 202/2025/QH15 Điều 1 for the Mekong Delta
    const to = (old: string) => provRows.find((r) => r.sourceCode === old)?.targetCode;
    expect([to('89'), to('91'), to('93'), to('94'), to('95'), to('83'), to('84'), to('87')]).toEqual(
      ['91', '91', '92', '92', '96', '86', '86', '82'],
    );
  });

  it('gives every new commune a source and every old commune a target but the documented gaps', () => {
    const targets = new Set(rows.map((r) => r.targetCode));
    for (const c of byLevel(NEW, 'commune')) expect(targets.has(c.code)).toBe(true);
    const sources = new Set(rows.map((r) => r.sourceCode));
    const missing = byLevel(OLD, 'commune')
      .filter((c) => !sources.has(c.code))
      .map((c) => c.code);
    expect(missing.sort()).toEqual([...OLD_WITHOUT_ROW].sort());
  });

  it('agrees with NQ 1668/NQ-UBTVQH15 khoản 1 and NQ 1654/NQ-UBTVQH15 khoản 1, 95', () => {
    const into = (target: string) =>
      rows
        .filter((r) => r.targetCode === target)
        .map((r) => `${r.sourceDisplay}:${r.relationship}`)
        .sort();
    // phường Ninh Kiều = phường Tân An + Thới Bình + Xuân Khánh (whole)
    expect(into('31135')).toEqual([
      'Phường Thới Bình:source-is-narrower-than-target',
      'Phường Tân An:source-is-narrower-than-target',
      'Phường Xuân Khánh:source-is-narrower-than-target',
    ]);
    // xã An Phú = thị trấn An Phú + xã Vĩnh Hội Đông (whole) + part of xã Phú Hội, xã Phước Hưng
    expect(into('30337')).toEqual([
      'Thị trấn An Phú:source-is-narrower-than-target',
      'Xã Phú Hội:related-to',
      'Xã Phước Hưng:related-to',
      'Xã Vĩnh Hội Đông:source-is-narrower-than-target',
    ]);
    expect(into('31078')).toHaveLength(8); // đặc khu Phú Quốc: 2 phường + 6 xã
  });
});
