import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The record is reached only through its published API (issue 16 §2). No other context names the
 * record's tables in SQL, reaches into the store's connection or repository (`FhirStore.db` is
 * private; `FhirStore.repo` is the record's own), or looks providers up behind the module graph's
 * back (`ModuleRef`, `forwardRef`): a dependency is declared, or it is an extension point.
 */
const LIBS = join(__dirname, '..', '..');

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

  it('no other context uses the store’s connection or repository', () => {
    expect(outside.filter((f) => /\bstore\.(db|repo)\b/.test(f.text)).map((f) => f.file)).toEqual([]);
  });

  it('no context looks providers up behind the module graph (ModuleRef, forwardRef)', () => {
    const all = readdirSync(LIBS)
      .flatMap((lib) => sources(join(LIBS, lib, 'src')))
      .filter((file) => /\b(ModuleRef|forwardRef)\b/.test(readFileSync(file, 'utf8')));
    expect(all.map((file) => relative(LIBS, file))).toEqual([]);
  });

  it('only infrastructure is global (configuration, logging, the database engine)', () => {
    const globals = readdirSync(LIBS)
      .flatMap((lib) => sources(join(LIBS, lib, 'src')))
      .filter((file) => /@Global\(\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(LIBS, file));
    expect(globals.sort()).toEqual(['common/src/common.module.ts', 'database/src/database.module.ts']);
  });
});
