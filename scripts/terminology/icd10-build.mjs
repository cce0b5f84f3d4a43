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
const sha = (rel) =>
  createHash('sha256')
    .update(readFileSync(path.join(SRC, rel)))
    .digest('hex');
/** Whitespace only: NFC, NBSP/zero-width/newlines/tabs to one space, trimmed. */
const clean = (s) =>
  String(s ?? '')
    .normalize('NFC')
    .replace(/[\s\u00a0\u200b\ufeff]+/g, ' ')
    .trim();
/** Comparison key for cross-checking two extractions (ignores spacing and hyphen spacing, case). */
const cmpKey = (s) =>
  clean(s)
    .replace(/[\s\-‐–]/g, '')
    .toLowerCase();
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
const flags = JSON.parse(
  flagsTxt.slice(flagsTxt.indexOf('{', flagsTxt.indexOf('BANG_ICD10_TT06 =')), flagsTxt.lastIndexOf('}') + 1),
);
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
  bhxh.set(code, {
    asterisk: raw.includes('*'),
    dagger: raw.includes('†'),
    vi: clean(r['TÊN BỆNH']),
    en: clean(r['DISEASE NAME']),
  });
}

// The PDF breaks long words inside a table cell ("Hypoparathyroidis m", "low- level"); the
// extraction joined the pieces with a space. A space is removed only when the joined word occurs
// intact in some English title of these sources and one of the pieces does not (whitespace only:
// no letter is added, removed or changed). Count reported as enJoined.
const tokenOf = (w) => w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
// The vocabulary is that of the BHXH list's English titles: an independent text, so a piece of a
// broken word in the extraction is not counted as a word.
const vocab = new Set();
for (const t of seed.map((r) => clean(r['DISEASE NAME'])))
  for (const w of t.split(' ')) vocab.add(tokenOf(w));
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

// Chapters: columns 2–5 of the Phụ lục (STT CHƯƠNG, PHẠM VI MÃ NHÓM BỆNH, CHAPTER NAME, TÊN CHƯƠNG),
// transcribed (whitespace only) from one row of each chapter in the 29-column extraction
// icd10_danh_muc.csv of github.com/tamton23/primekg-vn-icd10-omop @ 02a18ddc…; the STT read is given.
const CHAPTERS = [
  ['I', 'A00', 'B99', 1, 'Bệnh truyền nhiễm và ký sinh trùng', 'Certain infectious and parasitic diseases'],
  ['II', 'C00', 'D48', 1378, 'U tân sinh', 'Neoplasms'],
  [
    'III',
    'D50',
    'D89',
    1983,
    'Bệnh máu, cơ quan tạo máu và một số rối loạn liên quan đến cơ chế miễn dịch',
    'Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism',
  ],
  [
    'IV',
    'E00',
    'E90',
    1991,
    'Bệnh nội tiết, dinh dưỡng và chuyển hóa',
    'Endocrine, nutritional and metabolic diseases',
  ],
  ['V', 'F00', 'F99', 2707, 'Rối loạn tâm thần và hành vi', 'Mental and behavioural disorders'],
  ['VI', 'G00', 'G99', 2910, 'Bệnh hệ thần kinh', 'Diseases of the nervous system'],
  ['VII', 'H00', 'H59', 3330, 'Bệnh của mắt và cấu trúc phụ cận', 'Diseases of the eye and adnexa'],
  ['VIII', 'H60', 'H95', 3609, 'Bệnh của tai và xương chũm', 'Diseases of the ear and mastoid process'],
  ['IX', 'I00', 'I99', 3998, 'Bệnh hệ tuần hoàn', 'Diseases of the circulatory system'],
  ['X', 'J00', 'J99', 4403, 'Bệnh hệ hô hấp', 'Diseases of the respiratory system'],
  ['XI', 'K00', 'K93', 4856, 'Bệnh hệ tiêu hóa', 'Diseases of the digestive system'],
  ['XII', 'L00', 'L99', 5289, 'Bệnh của da và mô dưới da', 'Diseases of the skin and subcutaneous tissue'],
  [
    'XIII',
    'M00',
    'M99',
    6913,
    'Bệnh hệ cơ xương khớp và mô liên kết',
    'Diseases of the musculoskeletal system and connective tissue',
  ],
  ['XIV', 'N00', 'N99', 9391, 'Bệnh hệ sinh dục, tiết niệu', 'Diseases of the genitourinary system'],
  [
    'XV',
    'O00',
    'O99',
    9902,
    'Thai kỳ, sinh đẻ và thời kỳ sau đẻ',
    'Pregnancy, childbirth and the puerperium',
  ],
  [
    'XVI',
    'P00',
    'P96',
    10398,
    'Một số bệnh lý xuất phát trong thời kỳ chu sinh',
    'Certain conditions originating in the perinatal period',
  ],
  [
    'XVII',
    'Q00',
    'Q99',
    11110,
    'Dị tật, biến dạng và bất thường về nhiễm sắc thể bẩm sinh',
    'Congenital malformations, deformations and chromosomal abnormalities',
  ],
  [
    'XVIII',
    'R00',
    'R99',
    11616,
    'Triệu chứng, dấu hiệu và những bất thường lâm sàng, cận lâm sàng, không phân loại mục khác',
    'Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified',
  ],
  [
    'XIX',
    'S00',
    'T98',
    12708,
    'Tổn thương, ngộ độc và một số hậu quả khác do nguyên nhân bên ngoài',
    'Injury, poisoning and certain other consequences of external causes',
  ],
  [
    'XX',
    'V01',
    'Y98',
    14354,
    'Các nguyên nhân từ bên ngoài của bệnh tật và tử vong',
    'External causes of morbidity and mortality',
  ],
  [
    'XXI',
    'Z00',
    'Z99',
    15350,
    'Các yếu tố liên quan đến tình trạng sức khỏe và tiếp cận dịch vụ y tế',
    'Factors influencing health status and contact with health services',
  ],
  ['XXII', 'U00', 'U85', 15816, 'Mã phục vụ những mục đích đặc biệt', 'Codes for special purposes'],
];
const chapterOf = (code) =>
  CHAPTERS.find(([, from, to]) => code.slice(0, 3) >= from && code.slice(0, 3) <= to)?.[0] ?? '';

const isExternalCause = (code) => code >= 'V01' && code < 'Y99';
const sorted = [...rows.keys()].sort();
const parentOf = (code) => {
  if (/^[A-Z][0-9]{2}$/.test(code)) return chapterOf(code);
  if (/^[A-Z][0-9]{2}\.[0-9A-Z]{2}$/.test(code) && rows.has(code.slice(0, 5))) return code.slice(0, 5);
  return rows.has(code.slice(0, 3)) ? code.slice(0, 3) : '';
};

const counts = { tt06: 0, bhxh: 0, en: 0, noEn: 0, primaryN: 0, rules: {}, sex: { F: 0, M: 0 } };
const lines = [];
for (const [roman, from, to, stt, vi, en] of CHAPTERS)
  lines.push({
    origin: 'chapter',
    line: `# chapter ${roman}: ${from}-${to} (Phụ lục STT ${stt}, columns 2–5)\n${[roman, vi, en, '', 'chapter', 'N', '', '', 'Y'].join('\t')}`,
  });
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
  ...lines.filter((l) => l.origin === 'chapter').map((l) => l.line),
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
