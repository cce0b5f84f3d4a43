/**
 * NEWS2 Chart 1 (scoring) as data: one row per band, each with its citation and evidence level,
 * under one version. Rendered for clinicians in docs/care.md § Early warning (NEWS2); the unit
 * tests (news2.spec.ts) check every band edge against the source table itself, not against this.
 *
 * Evidence (docs/research/issue-17-sources.md § 1): the RCP report's body and Charts 1–4 could not
 * be read in a primary copy (the stored copies stop after the front matter), so every band row is
 * SECONDARY — transcribed from the openEHR NEWS2 archetype, whose stated source is the RCP report,
 * and cross-checked against Thorax Table 1 for the two SpO₂ scales. Only the Scale 2 selection
 * sentence of the RCP observation chart was read in the primary (NEWS2_SCALE_RULES below).
 */

export type News2Evidence = 'PRIMARY' | 'SECONDARY' | 'LOCAL POLICY';

/** The rule set's version: the document the numbers come from and how they reached us. */
export const NEWS2_RULES_VERSION = {
  id: 'rcp-news2-2017',
  title:
    'National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS. Updated report of a working party',
  publisher: 'Royal College of Physicians, London',
  issued: '2017-12',
  isbn: '978-1-86016-682-2',
  citation:
    'Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS. Updated report of a working party. London: RCP, 2017.',
  /** Where the band numbers were actually read (SECONDARY). */
  transcribedFrom:
    'openEHR CKM archetype openEHR-EHR-OBSERVATION.news2.v1 revision 1.0.5 (published), repository openEHR/CKM-mirror, local/archetypes/entry/observation/openEHR-EHR-OBSERVATION.news2.v1.adl, commit 2dc9f89b71286f7b7b95b236eb5e4d4b1018edd1',
} as const;

const ARCHETYPE = 'openEHR-EHR-OBSERVATION.news2.v1 rev 1.0.5';
const THORAX =
  'Thorax (BMJ) Table 1, NEWS2 SpO₂ scale 1 and scale 2, https://thorax.bmj.com/highwire/markup/192780/expansion';

export type News2BandParameter =
  | 'respirationRate'
  | 'spo2Scale1'
  | 'spo2Scale2'
  | 'airOrOxygen'
  | 'systolicBp'
  | 'pulse'
  | 'consciousness'
  | 'temperature';

export interface News2BandRow {
  parameter: News2BandParameter;
  /** Inclusive bounds in the chart's units (whole numbers; temperature to 0.1 °C); absent = open. */
  min?: number;
  max?: number;
  /** Scale 2 rows at 93 % or more apply only on air or only on oxygen. */
  supply?: 'air' | 'oxygen';
  /** Consciousness / air-or-oxygen rows match a category instead of a number. */
  category?: readonly string[];
  score: 0 | 1 | 2 | 3;
  rule: string;
  /** The band as the source prints it. */
  label: string;
  evidence: News2Evidence;
  /** Where this row was read (archetype at-code and its text; cross-checks). */
  citation: string;
}

const row = (
  parameter: News2BandParameter,
  bounds: { min?: number; max?: number; supply?: 'air' | 'oxygen'; category?: readonly string[] },
  score: 0 | 1 | 2 | 3,
  rule: string,
  atCode: string,
  label: string,
  crossCheck?: string,
): News2BandRow => ({
  parameter,
  ...bounds,
  score,
  rule,
  label,
  evidence: 'SECONDARY',
  citation: `RCP NEWS2 2017 Chart 1 via ${ARCHETYPE} ${atCode} "${label}"${crossCheck ? `; cross-checked: ${crossCheck}` : ''}`,
});

/** Chart 1, every row (SECONDARY: read in the openEHR archetype; see NEWS2_RULES_VERSION). */
export const NEWS2_BAND_TABLE: readonly News2BandRow[] = [
  row('respirationRate', { max: 8 }, 3, 'news2.rr.le8', 'at0021', '≤8'),
  row('respirationRate', { min: 9, max: 11 }, 1, 'news2.rr.9-11', 'at0019', '9-11'),
  row('respirationRate', { min: 12, max: 20 }, 0, 'news2.rr.12-20', 'at0018', '12-20'),
  row('respirationRate', { min: 21, max: 24 }, 2, 'news2.rr.21-24', 'at0020', '21-24'),
  row('respirationRate', { min: 25 }, 3, 'news2.rr.ge25', 'at0064', '≥25'),

  row('spo2Scale1', { max: 91 }, 3, 'news2.spo2.scale1.le91', 'at0033', '≤91', THORAX),
  row('spo2Scale1', { min: 92, max: 93 }, 2, 'news2.spo2.scale1.92-93', 'at0032', '92-93', THORAX),
  row('spo2Scale1', { min: 94, max: 95 }, 1, 'news2.spo2.scale1.94-95', 'at0031', '94-95', THORAX),
  row('spo2Scale1', { min: 96 }, 0, 'news2.spo2.scale1.ge96', 'at0030', '≥96', THORAX),

  row('spo2Scale2', { max: 83 }, 3, 'news2.spo2.scale2.le83', 'at0061', '≤83', THORAX),
  row('spo2Scale2', { min: 84, max: 85 }, 2, 'news2.spo2.scale2.84-85', 'at0050', '84-85', THORAX),
  row('spo2Scale2', { min: 86, max: 87 }, 1, 'news2.spo2.scale2.86-87', 'at0049', '86-87', THORAX),
  // at0048 is one row, "88-92 or ≥93 on air": split in two so that each half has its own edge.
  row(
    'spo2Scale2',
    { min: 88, max: 92 },
    0,
    'news2.spo2.scale2.88-92',
    'at0048',
    '88-92 or ≥93 on air',
    THORAX,
  ),
  row(
    'spo2Scale2',
    { min: 93, supply: 'air' },
    0,
    'news2.spo2.scale2.ge93-on-air',
    'at0048',
    '88-92 or ≥93 on air',
    THORAX,
  ),
  row(
    'spo2Scale2',
    { min: 93, max: 94, supply: 'oxygen' },
    1,
    'news2.spo2.scale2.93-94-on-o2',
    'at0062',
    '93-94 on oxygen',
    THORAX,
  ),
  row(
    'spo2Scale2',
    { min: 95, max: 96, supply: 'oxygen' },
    2,
    'news2.spo2.scale2.95-96-on-o2',
    'at0063',
    '95-96 on oxygen',
    THORAX,
  ),
  row(
    'spo2Scale2',
    { min: 97, supply: 'oxygen' },
    3,
    'news2.spo2.scale2.ge97-on-o2',
    'at0051',
    '≥97 on oxygen',
    THORAX,
  ),

  row('airOrOxygen', { category: ['air'] }, 0, 'news2.air-or-oxygen.air', 'at0036', 'Air'),
  row('airOrOxygen', { category: ['oxygen'] }, 2, 'news2.air-or-oxygen.oxygen', 'at0037', 'Oxygen'),

  row('systolicBp', { max: 90 }, 3, 'news2.sbp.le90', 'at0017', '≤90'),
  row('systolicBp', { min: 91, max: 100 }, 2, 'news2.sbp.91-100', 'at0016', '91-100'),
  row('systolicBp', { min: 101, max: 110 }, 1, 'news2.sbp.101-110', 'at0015', '101-110'),
  row('systolicBp', { min: 111, max: 219 }, 0, 'news2.sbp.111-219', 'at0014', '111-219'),
  row('systolicBp', { min: 220 }, 3, 'news2.sbp.ge220', 'at0067', '≥220'),

  row('pulse', { max: 40 }, 3, 'news2.pulse.le40', 'at0010', '≤40'),
  row('pulse', { min: 41, max: 50 }, 1, 'news2.pulse.41-50', 'at0012', '41-50'),
  row('pulse', { min: 51, max: 90 }, 0, 'news2.pulse.51-90', 'at0013', '51-90'),
  row('pulse', { min: 91, max: 110 }, 1, 'news2.pulse.91-110', 'at0068', '91-110'),
  row('pulse', { min: 111, max: 130 }, 2, 'news2.pulse.111-130', 'at0011', '111-130'),
  row('pulse', { min: 131 }, 3, 'news2.pulse.ge131', 'at0065', '≥131'),

  row('consciousness', { category: ['A'] }, 0, 'news2.consciousness.alert', 'at0024', 'Alert'),
  row(
    'consciousness',
    { category: ['C', 'V', 'P', 'U'] },
    3,
    'news2.consciousness.cvpu',
    'at0025',
    'C, V, P or U',
  ),

  row('temperature', { max: 35.0 }, 3, 'news2.temp.le35.0', 'at0039', '≤35.0'),
  row('temperature', { min: 35.1, max: 36.0 }, 1, 'news2.temp.35.1-36.0', 'at0023', '35.1-36.0'),
  row('temperature', { min: 36.1, max: 38.0 }, 0, 'news2.temp.36.1-38.0', 'at0022', '36.1-38.0'),
  row('temperature', { min: 38.1, max: 39.0 }, 1, 'news2.temp.38.1-39.0', 'at0066', '38.1-39.0'),
  row('temperature', { min: 39.1 }, 2, 'news2.temp.ge39.1', 'at0038', '≥39.1'),
];

/**
 * The row a value falls in (already at the chart's resolution); undefined when none does — Scale 2
 * at 93 % or more with air/oxygen unknown, or a category the chart does not print.
 */
export function news2Band(
  parameter: News2BandParameter,
  value: number | string,
  supply?: 'air' | 'oxygen',
): News2BandRow | undefined {
  return NEWS2_BAND_TABLE.find((r) => {
    if (r.parameter !== parameter) return false;
    if (r.category) return typeof value === 'string' && r.category.includes(value);
    if (typeof value !== 'number') return false;
    if (r.min !== undefined && value < r.min) return false;
    if (r.max !== undefined && value > r.max) return false;
    return r.supply === undefined || r.supply === supply;
  });
}

/** When each SpO₂ scale is used: the source's words and our local rule on top of them. */
export interface News2ScaleRule {
  rule: string;
  evidence: News2Evidence;
  text: string;
  citation: string;
}

export const NEWS2_SCALE_RULES: readonly News2ScaleRule[] = [
  {
    rule: 'news2.spo2.scale2.target-88-92',
    evidence: 'PRIMARY',
    text: 'Use Scale 2 if target range is 88—92%, eg in hypercapnic respiratory failure … *ONLY use (the rest of the sentence was not readable)',
    citation:
      'RCP, Observation chart for the National Early Warning Score (NEWS2) © Royal College of Physicians 2018, page 1 (https://pdfslide.us/documents/observation-chart-for-the-national-early-warning-score-use-scale-2-if-target.html)',
  },
  {
    rule: 'news2.spo2.scale1.default',
    evidence: 'SECONDARY',
    text: 'Scale 2 will be used only in patients with an oxygen saturation target range of 88–92%, such as patients with hypercapnic respiratory failure. Otherwise use Scale 1.',
    citation: `${ARCHETYPE} at0047 comment; also Thorax Table 1 footnote`,
  },
  {
    rule: 'news2.spo2.scale2.clinical-decision',
    evidence: 'SECONDARY',
    text: 'Scale 1 in all patients at first assessment unless there is clear documented evidence of hypercapnic respiratory failure, validated by a competent clinical decision-maker — then, and only then, Scale 2 (attribution to Williams B, Clin Med 2019;19(1):94–95 not verified)',
    citation:
      'quoted by https://earthourday.com/scale-1-and-scale-2-oxygen, next to Williams B, Clin Med 2019;19(1):94–95, doi:10.7861/clinmedicine.19-1-94',
  },
  {
    rule: 'news2.spo2.scale2.recorded-goal',
    evidence: 'LOCAL POLICY',
    text: 'Scale 2 applies only while the patient has an active Goal with an SpO₂ target of 88–92 % (LOINC 59408-5 or 2708-6, target.detailRange), recorded by a practitioner (recorded-by tag), naming who decided (expressedBy Practitioner), since when (startDate) and why (addresses or description text); ended (cancelled/completed/…) or recorded by anyone else → Scale 1.',
    citation: 'docs/decisions/017-news2-scale-2.md',
  },
];

/**
 * The Chart 1 rows and the scale rules as Markdown tables, for docs/care.md (a clinician checks
 * them line by line; news2-bands.spec.ts fails when the doc differs from this output).
 */
export function news2BandsMarkdown(): string {
  const bounds = (r: News2BandRow): string =>
    r.category
      ? r.category.join(', ')
      : r.min === undefined
        ? `≤ ${r.max}`
        : r.max === undefined
          ? `≥ ${r.min}`
          : `${r.min}–${r.max}`;
  const lines = [
    `Version \`${NEWS2_RULES_VERSION.id}\`: ${NEWS2_RULES_VERSION.citation} Numbers read in: ${NEWS2_RULES_VERSION.transcribedFrom}.`,
    '',
    '| Parameter | Band | Air/O₂ | Score | Rule | Evidence | Citation |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...NEWS2_BAND_TABLE.map(
      (r) =>
        `| ${r.parameter} | ${bounds(r)} | ${r.supply ?? 'any'} | ${r.score} | \`${r.rule}\` | ${r.evidence} | ${r.citation.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '| Scale rule | Evidence | Text | Citation |',
    '| --- | --- | --- | --- |',
    ...NEWS2_SCALE_RULES.map(
      (r) => `| \`${r.rule}\` | ${r.evidence} | ${r.text.replace(/\*/g, '\\*')} | ${r.citation} |`,
    ),
  ];
  return lines.join('\n');
}
