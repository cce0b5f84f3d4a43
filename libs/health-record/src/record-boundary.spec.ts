import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The record is reached only through its published API (issue 16 §2). No other context names the
 * record's tables in SQL. Reaching past the API into the store's connection (`store.db`) or its
 * repository (`store.repo`) is known debt, listed here per file: the list may only shrink — a new
 * use fails this test (move the need into FhirStore's published API instead).
 */
const LIBS = join(__dirname, '..', '..');

/** Known uses of the store's connection and repository outside the record (to be removed). */
const KNOWN_DEBT: Record<string, number> = {
  'scheduling/src/booking/booking.service.ts': 1,
  'scheduling/src/waitlist/waitlist.service.ts': 7,
  'scheduling/src/availability/availability.service.ts': 3,
  'care/src/eligibility/booking-gate.ts': 2,
  'care/src/news2/early-warning.service.ts': 1,
  'care/src/triage/triage-record.service.ts': 2,
  'care/src/immunization/immunization-record.ts': 2,
  'care/src/immunization/immunization-due.controller.ts': 1,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

const outside = readdirSync(LIBS)
  .filter((lib) => lib !== 'health-record')
  .flatMap((lib) => sources(join(LIBS, lib, 'src')))
  .map((file) => ({ file: relative(LIBS, file), text: readFileSync(file, 'utf8') }));

describe('the record boundary', () => {
  it('finds the other contexts’ sources', () => {
    expect(outside.length).toBeGreaterThan(100);
  });

  it('no other context names the record’s tables in SQL', () => {
    expect(outside.filter((f) => /\bhealth_record\.[a-z_]+/.test(f.text)).map((f) => f.file)).toEqual([]);
  });

  it('uses of the store’s connection or repository outside the record only shrink', () => {
    const found: Record<string, number> = {};
    for (const f of outside) {
      const n = (f.text.match(/\bstore\.(db|repo)\b/g) ?? []).length;
      if (n > 0) found[f.file] = n;
    }
    const grown = Object.entries(found).filter(([file, n]) => n > (KNOWN_DEBT[file] ?? 0));
    expect(grown).toEqual([]);
  });
});
