#!/usr/bin/env node
/**
 * National code lists (issue 21, part 5): the "update" path for the lists shipped as subsets —
 * drugs-bhyt, services-bhyt, qd130-ma-nhom, … — from the official spreadsheet of the list.
 *
 *   node scripts/terminology/lists-import.mjs --folder <libs/terminology/data/xxx> --in <file.xlsx|.csv|.tsv>
 *        --map code=<column>,vi=<column>[,en=<column>][,<property>=<column>…]
 *        --version "<the source's own version>" [--citation "<decision, appendix, file>"]
 *        [--sheet <1-based sheet number>] [--header-row <1-based row>] [--content complete|fragment]
 *        [--keep-existing] [--dry-run]
 *
 * It copies rows; it never invents one. `--map` names, for each column of the folder's
 * concepts.tsv (`code`, `vi` = display_vi, `en` = display_en, `parent`, and the property codes of
 * codesystem.json), the header of the source column (matched after trimming, case-insensitively, with
 * line breaks in headers read as spaces), or a column letter `#A`, `#B`, … . Unmapped properties stay
 * empty. A boolean property mapped to a column reads "x", "Y", "có", "1", "true" as Y and anything
 * else as N; a property given as `verified=!Y` is set to the constant Y (rows read from the official
 * file). Rows without a code are skipped (section headings of the official tables); a duplicate code
 * stops the import. Cell text is NFC-normalised, tabs and line breaks become spaces; nothing is
 * translated. `--keep-existing` keeps the folder's current rows whose code the file does not have
 * (e.g. the QĐ 4750 row 19 of MA_NHOM when importing QĐ 5937 Phụ lục 3).
 *
 * The folder's codesystem.json gets the new `version`, `content` (default "complete") and, when
 * given, the citation prepended; everything else in it is kept. Columns of each official file:
 * docs/terminology/national-lists.md § Import.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const die = (msg) => {
  process.stderr.write(`lists-import: ${msg}\n`);
  process.exit(1);
};

const folder = resolve(opt('folder', '') || die('--folder is required'));
const input = resolve(opt('in', '') || die('--in is required'));
const version = opt('version') ?? die("--version is required (the source's own version or date)");
const citation = opt('citation');
const content = opt('content', 'complete');
if (!['complete', 'fragment'].includes(content)) die('--content must be complete or fragment');
const mapArg = opt('map') ?? die('--map is required, e.g. code=Mã hoạt chất,vi=Tên hoạt chất');

const clean = (s) =>
  String(s ?? '')
    .normalize('NFC')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** RFC 4180 CSV or TSV (quoted cells may hold separators and line breaks). */
function parseDelimited(text, sep) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** The entries of a zip file (an .xlsx), stored or deflated. */
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) die(`${input}: not a zip/xlsx file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) die(`${input}: bad zip directory`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    files.set(name, () => (method === 0 ? raw : inflateRawSync(raw)).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  trimValues: false,
});
const asArray = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (node) => {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return String(node);
  if ('#text' in node) return String(node['#text']);
  return (
    asArray(node.r)
      .map((r) => text(r.t))
      .join('') || text(node.t)
  );
};
const colIndex = (ref) =>
  [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/** Rows of one sheet of an .xlsx (shared strings, inline strings and numbers). */
function readXlsx(buf, sheetNo) {
  const files = unzip(buf);
  const get = (name) => files.get(name)?.() ?? die(`${input}: missing ${name}`);
  const shared = files.has('xl/sharedStrings.xml')
    ? asArray(xml.parse(get('xl/sharedStrings.xml')).sst.si).map(text)
    : [];
  const wb = xml.parse(get('xl/workbook.xml')).workbook;
  const sheets = asArray(wb.sheets.sheet);
  const sheet = sheets[sheetNo - 1] ?? die(`${input}: no sheet ${sheetNo} (has ${sheets.length})`);
  const rels = asArray(xml.parse(get('xl/_rels/workbook.xml.rels')).Relationships.Relationship);
  const target =
    rels.find((r) => r['@Id'] === sheet['@r:id'])?.['@Target'] ?? die('sheet relation not found');
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const data = xml.parse(get(path)).worksheet.sheetData;
  return asArray(data?.row).map((row) => {
    const out = [];
    for (const c of asArray(row.c)) {
      const v = c.v === undefined ? '' : String(typeof c.v === 'object' ? c.v['#text'] : c.v);
      out[colIndex(c['@r'])] = c['@t'] === 's' ? shared[Number(v)] : c['@t'] === 'inlineStr' ? text(c.is) : v;
    }
    return Array.from(out, (x) => x ?? '');
  });
}

const ext = extname(input).toLowerCase();
const bytes = readFileSync(input);
const rows =
  ext === '.xlsx'
    ? readXlsx(bytes, Number(opt('sheet', '1')))
    : parseDelimited(bytes.toString('utf8').replace(/^\uFEFF/, ''), ext === '.tsv' ? '\t' : ',');
const headerRow = Number(opt('header-row', '1'));
const header = (rows[headerRow - 1] ?? die(`no row ${headerRow} in ${input}`)).map((h) =>
  clean(h).toLowerCase(),
);
const body = rows.slice(headerRow);

const meta = JSON.parse(readFileSync(join(folder, 'codesystem.json'), 'utf8'));
const props = meta.properties ?? [];
const targets = ['code', 'vi', 'en', 'parent', ...props.map((p) => p.code)];
const mapping = new Map();
for (const pair of mapArg.split(',')) {
  const eq = pair.indexOf('=');
  if (eq < 0) die(`bad --map entry "${pair}"`);
  const key = pair.slice(0, eq).trim();
  const col = pair.slice(eq + 1).trim();
  if (!targets.includes(key)) die(`--map: "${key}" is not one of ${targets.join(', ')}`);
  if (col.startsWith('!')) mapping.set(key, { constant: col.slice(1) });
  else if (col.startsWith('#')) mapping.set(key, { index: colIndex(`${col.slice(1).toUpperCase()}1`) });
  else {
    const index = header.indexOf(clean(col).toLowerCase());
    if (index < 0) die(`--map: column "${col}" not in header row ${headerRow}: ${header.join(' | ')}`);
    mapping.set(key, { index });
  }
}
if (!mapping.has('code') || (!mapping.has('vi') && !mapping.has('en')))
  die('--map needs code and vi (or en)');

const truthy = (s) => ['x', 'y', 'yes', 'có', '1', 'true'].includes(clean(s).toLowerCase());
const value = (row, key) => {
  const m = mapping.get(key);
  if (!m) return '';
  if ('constant' in m) return m.constant;
  const raw = clean(row[m.index]);
  const def = props.find((p) => p.code === key);
  if (def?.type === 'boolean') return raw === '' ? '' : truthy(raw) ? 'Y' : 'N';
  return raw;
};

const seen = new Map();
for (const row of body) {
  const code = value(row, 'code');
  if (!code) continue;
  if (seen.has(code)) die(`duplicate code ${code} in ${input}`);
  const cells = ['code', 'vi', 'en', 'parent', ...props.map((p) => p.code)].map((k) => value(row, k));
  if (!cells[1] && !cells[2]) die(`code ${code} has no display in ${input}`);
  seen.set(code, cells);
}
if (seen.size === 0) die('no rows with a code: check --header-row and --map');

const tsvPath = join(folder, 'concepts.tsv');
const columns = ['code', 'display_vi', 'display_en', 'parent', ...props.map((p) => p.code)];
if (flag('keep-existing') && existsSync(tsvPath)) {
  const lines = readFileSync(tsvPath, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    if (!seen.has(cells[0]))
      seen.set(
        cells[0],
        columns.map((_, i) => cells[i] ?? ''),
      );
  }
}
const digest = createHash('sha256').update(bytes).digest('hex');
const out = [
  `# Imported by scripts/terminology/lists-import.mjs from ${input.split('/').pop()} (sha256 ${digest}), version ${version}`,
  columns.join('\t'),
  ...[...seen.values()].map((cells) => cells.join('\t')),
].join('\n');

const nextMeta = { ...meta, version, content };
if (citation)
  nextMeta.citation = [
    citation,
    ...(Array.isArray(meta.citation) ? meta.citation : meta.citation ? [meta.citation] : []),
  ];
if (flag('dry-run')) {
  process.stdout.write(
    `${out.split('\n').slice(0, 6).join('\n')}\n… ${seen.size} concepts (dry run, nothing written)\n`,
  );
} else {
  writeFileSync(tsvPath, `${out}\n`);
  writeFileSync(join(folder, 'codesystem.json'), `${JSON.stringify(nextMeta, null, 2)}\n`);
  process.stdout.write(`${folder}: ${seen.size} concepts, version ${version}, content ${content}\n`);
}
