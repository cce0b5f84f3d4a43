import Ajv2020 from 'ajv/dist/2020';
import { TABLES } from '../xml130/fields';
import { HEALTH_BOOK_FIELDS, HEALTH_BOOK_TABLES, itemFields } from './fields';
import { healthBookJsonSchema } from './health-book';

describe('health book field table', () => {
  it('every element fed by a claim table exists in that table, and every field is cited', () => {
    const missing = HEALTH_BOOK_FIELDS.filter(
      (f) => f.from && !f.list && !TABLES[f.from.table].fields.some((x) => x.name === f.from!.element),
    ).map((f) => f.name);
    expect(missing).toEqual([]);
    expect(HEALTH_BOOK_FIELDS.filter((f) => !/QĐ|NĐ/.test(f.citation) || !f.unverified)).toEqual([]);
    const tables = new Set(HEALTH_BOOK_FIELDS.flatMap((f) => (f.from ? [f.from.table] : [])));
    expect([...tables].filter((t) => !HEALTH_BOOK_TABLES.includes(t))).toEqual([]);
  });

  it('list fields have items, items have a list, and names are unique within their parent', () => {
    for (const l of HEALTH_BOOK_FIELDS.filter((x) => x.list))
      expect(itemFields(l.name).length).toBeGreaterThan(0);
    for (const i of HEALTH_BOOK_FIELDS.filter((x) => x.parent))
      expect(HEALTH_BOOK_FIELDS.some((l) => l.list && l.name === i.parent)).toBe(true);
    const keys = HEALTH_BOOK_FIELDS.map((x) => `${x.group}/${x.parent ?? ''}/${x.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the JSON Schema compiles in strict mode and refuses an element outside the table', () => {
    const validate = new Ajv2020({ strict: true }).compile(healthBookJsonSchema());
    const empty = {
      HANH_CHINH: Object.fromEntries(
        HEALTH_BOOK_FIELDS.filter((x) => x.group === 'HANH_CHINH').map((x) => [x.name, '']),
      ),
      TIEN_SU: { DI_UNG: [], BENH_TAT: [], TIEM_CHUNG: [] },
      DOT_KCB: [],
    };
    expect(validate(empty)).toBe(true);
    expect(validate({ ...empty, HANH_CHINH: { ...empty.HANH_CHINH, CHIEU_CAO: '170' } })).toBe(false);
  });
});
