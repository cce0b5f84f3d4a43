import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A property a code system declares for its concepts (codesystem.json `properties`). */
export interface PropertyDef {
  readonly code: string;
  readonly type: 'code' | 'string' | 'boolean' | 'integer' | 'Coding';
  readonly description?: string;
}

/** codesystem.json: the code system's metadata and where its content comes from. */
export interface CodeSystemMeta {
  readonly url: string;
  readonly version: string;
  readonly name: string;
  readonly title: string;
  readonly publisher?: string;
  readonly copyright?: string;
  readonly citation?: readonly string[] | string;
  readonly valueSet?: string;
  readonly hierarchyMeaning?: string;
  readonly properties?: readonly PropertyDef[];
  readonly unverified?: readonly string[];
  /** When the folder holds only part of the source's list (e.g. "subset: rows 1–40"). */
  readonly content?: 'complete' | 'fragment';
  readonly [extra: string]: unknown;
}

export type PropertyValue = string | boolean | number;

export interface ConceptRow {
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  readonly parent?: string;
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

export interface ConceptMapMeta {
  readonly url: string;
  readonly version: string;
  readonly title: string;
  readonly sourceSystem: string;
  readonly targetSystem: string;
  readonly citation?: readonly string[] | string;
  readonly [extra: string]: unknown;
}

export interface MapRow {
  readonly sourceCode: string;
  readonly sourceDisplay: string;
  readonly targetCode: string;
  readonly targetDisplay: string;
  readonly relationship: string;
  readonly note: string;
}

export interface CodeSystemFolder {
  readonly folder: string;
  readonly meta: CodeSystemMeta;
  readonly concepts: readonly ConceptRow[];
  readonly map?: { readonly meta: ConceptMapMeta; readonly rows: readonly MapRow[] };
  /** SHA-256 of the folder's files: which exact content answered. */
  readonly hash: string;
}

/** A data file that breaks the format: refused at load, naming the file and line. */
export class TerminologyDataError extends Error {}

/** Lines of a TSV file without comments and blank lines, with their 1-based line numbers. */
function tsvLines(path: string): { line: number; cells: string[] }[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return text
    .split(/\r?\n/)
    .map((l, i) => ({ raw: l, line: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'))
    .map(({ raw, line }) => ({ line, cells: raw.split('\t').map((c) => c.trim()) }));
}

const BASE_COLUMNS = ['code', 'display_vi', 'display_en', 'parent'];

function parseValue(def: PropertyDef, raw: string, where: string): PropertyValue {
  if (def.type === 'boolean') {
    if (raw === 'Y') return true;
    if (raw === 'N') return false;
    throw new TerminologyDataError(`${where}: property ${def.code} must be Y or N, got "${raw}"`);
  }
  if (def.type === 'integer') {
    if (!/^-?\d+$/.test(raw))
      throw new TerminologyDataError(`${where}: property ${def.code} must be an integer`);
    return Number(raw);
  }
  return raw;
}

/** Reads one code system folder (format: libs/terminology/data/README.md), checking it as it goes. */
export function readCodeSystemFolder(folder: string): CodeSystemFolder {
  const hash = createHash('sha256');
  const read = (name: string): string => {
    const text = readFileSync(join(folder, name), 'utf8');
    hash.update(name).update('\0').update(text);
    return text;
  };
  const meta = JSON.parse(read('codesystem.json')) as CodeSystemMeta;
  for (const k of ['url', 'version', 'name', 'title'] as const)
    if (typeof meta[k] !== 'string' || meta[k].length === 0)
      throw new TerminologyDataError(`${folder}/codesystem.json: "${k}" is required`);
  const defs = meta.properties ?? [];
  read('concepts.tsv');
  const rows = tsvLines(join(folder, 'concepts.tsv'));
  const header = rows.shift();
  const expected = [...BASE_COLUMNS, ...defs.map((d) => d.code)];
  if (!header || header.cells.join('\t') !== expected.join('\t'))
    throw new TerminologyDataError(
      `${folder}/concepts.tsv: header must be "${expected.join('\\t')}", got "${header?.cells.join('\\t') ?? ''}"`,
    );
  const seen = new Set<string>();
  const concepts: ConceptRow[] = rows.map(({ line, cells }) => {
    const where = `${folder}/concepts.tsv:${line}`;
    if (cells.length > expected.length)
      throw new TerminologyDataError(`${where}: ${cells.length} cells, expected ${expected.length}`);
    const [code = '', vi = '', en = '', parent = ''] = cells;
    if (!code) throw new TerminologyDataError(`${where}: empty code`);
    if (!vi && !en) throw new TerminologyDataError(`${where}: ${code} has no display`);
    if (seen.has(code)) throw new TerminologyDataError(`${where}: duplicate code ${code}`);
    seen.add(code);
    const properties: Record<string, PropertyValue> = {};
    defs.forEach((d, i) => {
      const raw = cells[BASE_COLUMNS.length + i] ?? '';
      if (raw !== '') properties[d.code] = parseValue(d, raw, where);
    });
    return { code, vi, en, ...(parent ? { parent } : {}), properties };
  });
  for (const c of concepts)
    if (c.parent !== undefined && !seen.has(c.parent))
      throw new TerminologyDataError(
        `${folder}/concepts.tsv: ${c.code}'s parent ${c.parent} is not in the list`,
      );

  let map: CodeSystemFolder['map'];
  if (existsSync(join(folder, 'conceptmap.json'))) {
    const mapMeta = JSON.parse(read('conceptmap.json')) as ConceptMapMeta;
    read('map.tsv');
    const lines = tsvLines(join(folder, 'map.tsv'));
    const head = lines.shift();
    const cols = ['source_code', 'source_display', 'target_code', 'target_display', 'relationship', 'note'];
    if (!head || head.cells.slice(0, cols.length).join('\t') !== cols.join('\t'))
      throw new TerminologyDataError(`${folder}/map.tsv: header must be "${cols.join('\\t')}"`);
    map = {
      meta: mapMeta,
      rows: lines.map(({ cells }) => {
        const [
          sourceCode = '',
          sourceDisplay = '',
          targetCode = '',
          targetDisplay = '',
          relationship = '',
          note = '',
        ] = cells;
        return {
          sourceCode,
          sourceDisplay,
          targetCode,
          targetDisplay,
          relationship: relationship || 'equivalent',
          note,
        };
      }),
    };
  }
  return { folder, meta, concepts, ...(map ? { map } : {}), hash: hash.digest('hex') };
}

/**
 * Where the data are: TERMINOLOGY_DATA_DIR, else `libs/terminology/data` found upwards from this
 * file (source tree, tests, dist/ beside the repository), else `./terminology-data` (the image).
 */
export function defaultDataDir(): string {
  const fromEnv = process.env.TERMINOLOGY_DATA_DIR;
  if (fromEnv) return resolve(fromEnv);
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'terminology', 'data');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return resolve('terminology-data');
}

/** Every code system folder under `dir` (a folder with a codesystem.json). */
export function readDataDir(dir: string): CodeSystemFolder[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'codesystem.json')))
    .map((e) => readCodeSystemFolder(join(dir, e.name)));
}
