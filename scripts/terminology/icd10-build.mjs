#!/usr/bin/env node
// Builds libs/terminology/data/icd10/concepts.tsv from offline copies of the Ministry of Health's
// ICD-10 list (Thông tư 06/2026/TT-BYT, Phụ lục "Danh mục mã bệnh"), as extracted by two public
// repositories, plus the BHXH claims list for the rows those extractions lack.
// It reads local files only (no network). Where each file comes from, its commit and SHA-256, and
// why each is used: docs/terminology/icd10.md ("How to update").
//
//   node scripts/terminology/icd10-build.mjs --src /path/to/icd10-src [--out libs/terminology/data/icd10/concepts.tsv]
//
// Expected layout of --src:
//   check_bhyt/icd-01.js … icd-07.js          TT06 Vietnamese names (field "t"), one object per code
//   check_bhyt/icd10_tt06_bang_ma.jsx          TT06 columns 24–29 per code
//   check_bhyt/dm_icd10_seed.jsx               BHXH "FileMau_DANH_MUC_ICD10" (code with †/*, EN, VI)
//   clingrounder/tt06_icd10_extract.jsonl      TT06 rows (code, official_name_en, official_name_vi, stt)
//
// Nothing here invents, translates or repairs a label: a label is taken verbatim (whitespace
// normalised) from the file named in the row's provenance, or left empty.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const SRC = arg('--src');
const OUT = arg('--out', 'libs/terminology/data/icd10/concepts.tsv');
if (!SRC) {
  console.error('usage: icd10-build.mjs --src <dir> [--out <concepts.tsv>]');
  process.exit(2);
}

const read = (rel) => readFileSync(path.join(SRC, rel), 'utf8');
const sha = (rel) => createHash('sha256').update(readFileSync(path.join(SRC, rel))).digest('hex');
/** Whitespace only: NFC, NBSP/zero-width/newlines/tabs to one space, trimmed. */
const clean = (s) =>
  String(s ?? '')
    .normalize('NFC')
    .replace(/[\s\u00a0\u200b\ufeff]+/g, ' ')
    .trim();
/** Comparison key for cross-checking two extractions (ignores spacing and hyphen spacing, case). */
const cmpKey = (s) => clean(s).replace(/[\s\-‐–]/g, '').toLowerCase();
const CODE = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$/;
const bare = (c) => clean(c).replace(/[†*\s]/g, '');

// 1. TT06 Vietnamese names (check_bhyt, chunks "icd-01" … "icd-07").
const names = new Map();
for (const n of ['01', '02', '03', '04', '05', '06', '07']) {
  const rel = `check_bhyt/icd-${n}.js`;
  const txt = read(rel);
  const start = txt.indexOf(`["icd-${n}"]=`);
  const end = txt.lastIndexOf('];');
  if (start < 0 || end < 0) throw new Error(`${rel}: unexpected layout`);
  const rows = JSON.parse(txt.slice(txt.indexOf('[', start + 9), end + 1));
  for (const r of rows) {
    const code = bare(r.m);
    if (!CODE.test(code)) throw new Error(`${rel}: bad code ${r.m}`);
    if (names.has(code)) throw new Error(`${rel}: duplicate ${code}`);
    names.set(code, clean(r.t));
  }
}

// 2. TT06 columns 24–29 (check_bhyt icd10_tt06_bang_ma.jsx; key = code without '.', '†', '*').
const flagsTxt = read('check_bhyt/icd10_tt06_bang_ma.jsx');
const flags = JSON.parse(flagsTxt.slice(flagsTxt.indexOf('{', flagsTxt.indexOf('BANG_ICD10_TT06 =')), flagsTxt.lastIndexOf('}') + 1));
const flagKey = (code) => code.replace(/\./g, '');

// 3. TT06 rows with English names (clingrounder). A row is trusted when the extraction's STT runs
//    on without a gap (a gap means the PDF parser merged following rows into it) and its
//    Vietnamese name equals the name from (1) — two independent extractions agreeing on the row.
const ext = read('clingrounder/tt06_icd10_extract.jsonl')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const english = new Map();
let extGapRows = 0;
let extViMismatch = 0;
for (let i = 0; i < ext.length; i++) {
  const r = ext[i];
  const next = ext[i + 1];
  if (next && Number(next.stt) !== Number(r.stt) + 1) {
    extGapRows++;
    continue;
  }
  const code = bare(r.code);
  const vi = names.get(code);
  if (vi === undefined || cmpKey(vi) !== cmpKey(r.official_name_vi)) {
    extViMismatch++;
    continue;
  }
  english.set(code, clean(r.official_name_en));
}

// 4. BHXH list "FileMau_DANH_MUC_ICD10" (check_bhyt dm_icd10_seed.jsx): codes carry the list's own
//    † / * marks. Used (a) to identify asterisk codes by that mark, (b) for the TT06 rows whose
//    codes carry † or * and are therefore absent from (1) and (3): such a code is added only when
//    TT06 columns 24–29 (2) show the code exists in TT06; its labels are this list's.
const seedTxt = read('check_bhyt/dm_icd10_seed.jsx');
const seedStart = seedTxt.indexOf('[', seedTxt.indexOf('export const DANH_MUC_ICD10 ='));
const seed = JSON.parse(seedTxt.slice(seedStart, seedTxt.lastIndexOf(']') + 1));
const bhxh = new Map();
for (const r of seed) {
  const raw = clean(r['MÃ BỆNH']);
  const code = bare(raw);
  if (!CODE.test(code)) throw new Error(`dm_icd10_seed.jsx: bad code ${raw}`);
  bhxh.set(code, { asterisk: raw.includes('*'), dagger: raw.includes('†'), vi: clean(r['TÊN BỆNH']), en: clean(r['DISEASE NAME']) });
}

// The PDF breaks long words inside a table cell ("Hypoparathyroidis m", "low- level"); the
// extraction joined the pieces with a space. A space is removed only when the joined word occurs
// intact in some English title of these sources and one of the pieces does not (whitespace only:
// no letter is added, removed or changed). Count reported as enJoined.
const tokenOf = (w) => w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
// The vocabulary is that of the BHXH list's English titles: an independent text, so a piece of a
// broken word in the extraction is not counted as a word.
const vocab = new Set();
for (const t of seed.map((r) => clean(r['DISEASE NAME']))) for (const w of t.split(' ')) vocab.add(tokenOf(w));
let enJoined = 0;
const joinBroken = (label) => {
  const words = label.split(' ');
  const out = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    const hyphen = prev !== undefined && /[\p{L}\p{N}]-$/u.test(prev);
    if (prev !== undefined && (hyphen || (/\p{L}$/u.test(prev) && /^\p{Ll}/u.test(w)))) {
      const joined = tokenOf(prev + w);
      const partsKnown = vocab.has(tokenOf(prev)) && vocab.has(tokenOf(w));
      if (vocab.has(joined) && (hyphen || !partsKnown)) {
        out[out.length - 1] = prev + w;
        enJoined++;
        continue;
      }
    }
    out.push(w);
  }
  return out.join(' ');
};
for (const [code, en] of english) english.set(code, joinBroken(en));

// Assemble.
const rows = new Map(); // code -> {vi, en, origin}
for (const [code, vi] of names) rows.set(code, { vi, en: english.get(code) ?? '', origin: 'tt06' });
const supplementSkipped = [];
for (const [code, b] of bhxh) {
  if (rows.has(code)) continue;
  if (!flags[flagKey(code)]) {
    supplementSkipped.push(code);
    continue;
  }
  rows.set(code, { vi: b.vi, en: b.en, origin: 'bhxh' });
}

const isExternalCause = (code) => code >= 'V01' && code < 'Y99';
const sorted = [...rows.keys()].sort();
const parentOf = (code) => {
  if (/^[A-Z][0-9]{2}$/.test(code)) return '';
  if (/^[A-Z][0-9]{2}\.[0-9A-Z]{2}$/.test(code) && rows.has(code.slice(0, 5))) return code.slice(0, 5);
  return rows.has(code.slice(0, 3)) ? code.slice(0, 3) : '';
};

const counts = { tt06: 0, bhxh: 0, en: 0, noEn: 0, primaryN: 0, rules: {}, sex: { F: 0, M: 0 } };
const lines = [];
for (const code of sorted) {
  const r = rows.get(code);
  const f = flags[flagKey(code)] ?? {};
  const asterisk = bhxh.get(code)?.asterisk ?? false;
  // Rules that forbid the code as the main diagnosis, most specific first (docs/terminology/icd10.md).
  let rule = '';
  if (asterisk) rule = 'asterisk';
  else if (f.camBenhChinh && isExternalCause(code)) rule = 'external-cause';
  else if (f.camBenhChinh) rule = 'not-main';
  else if (f.chiMaHoaNguyenNhanTuVong) rule = 'mortality-only';
  else if (f.coMaBonHoacNamKyTuCuTheHon) rule = 'use-more-specific';
  const primary = rule ? 'N' : 'Y';
  // Column 25 does not forbid: primary stays Y and the rule id records the warning.
  if (!rule && f.khongKhuyenKhichBenhChinh) rule = 'discouraged';
  const sex = f.chuYeuNuGioi && !f.chuYeuNamGioi ? 'F' : f.chuYeuNamGioi && !f.chuYeuNuGioi ? 'M' : '';
  const level = /^[A-Z][0-9]{2}$/.test(code) ? 'category' : 'subcategory';
  const cells = [code, r.vi, r.en, parentOf(code), level, primary, rule, sex, 'N'];
  for (const c of cells) if (/[\t\n]/.test(c)) throw new Error(`tab/newline in ${code}`);
  if (!r.vi) throw new Error(`empty display_vi for ${code}`);
  lines.push({ origin: r.origin, line: cells.join('\t') });
  counts[r.origin]++;
  if (r.en) counts.en++;
  else counts.noEn++;
  if (primary === 'N') counts.primaryN++;
  if (rule) counts.rules[rule] = (counts.rules[rule] ?? 0) + 1;
  if (sex) counts.sex[sex]++;
}

const sources = [
  ...['01', '02', '03', '04', '05', '06', '07'].map((n) => `check_bhyt/icd-${n}.js`),
  'check_bhyt/icd10_tt06_bang_ma.jsx',
  'check_bhyt/dm_icd10_seed.jsx',
  'clingrounder/tt06_icd10_extract.jsonl',
];
const header = [
  '# ICD-10 (WHO) with the Vietnamese Ministry of Health labels of Thông tư 06/2026/TT-BYT, Phụ lục.',
  '# Generated by scripts/terminology/icd10-build.mjs; provenance and caveats: docs/terminology/icd10.md.',
  '# Rows whose labels come from the BHXH list FileMau_DANH_MUC_ICD10 (QĐ 4469-era wording, [unverified])',
  '# rather than TT06 are listed after the line "# --- BHXH-labelled rows ---".',
  ...sources.map((s) => `# source ${s} sha256=${sha(s)}`),
  'code\tdisplay_vi\tdisplay_en\tparent\tlevel\tprimary\tprimary_rule\tsex\tabstract',
];
const body = [
  ...lines.filter((l) => l.origin === 'tt06').map((l) => l.line),
  '# --- BHXH-labelled rows --- codes present in TT06 (columns 24–29 list them) whose TT06 rows carry † or * and are missing from the offline extractions',
  ...lines.filter((l) => l.origin === 'bhxh').map((l) => l.line),
];
writeFileSync(OUT, [...header, ...body].join('\n') + '\n', 'utf8');

console.log(
  JSON.stringify(
    {
      out: OUT,
      concepts: sorted.length,
      ...counts,
      extGapRows,
      enJoined,
      extViMismatch,
      supplementSkipped: supplementSkipped.length,
      supplementSkippedCodes: supplementSkipped.join(' '),
    },
    null,
    1,
  ),
);
