/** What one timeline entry says, as message keys and values (pure, so it is easy to test). */
import { type FhirResource } from '../api';
import { type CodeableConcept, conceptCode, conceptText, hasCode, type Reference } from './fhir-util';
import { news2Summary } from '../station/news2-response';
import { AVPU_LOINC, FIO2_LOINC, isNews2, O2_FLOW_LOINC, type TimelineEntry } from './timeline';
import { displayUnit, extractVitals, formatVital } from './vitals';

/** ACVPU levels by their SNOMED CT code (the station's) or their letter. */
const AVPU_LEVELS: Record<string, string> = {
  '248234008': 'A',
  '130987000': 'C',
  '300202002': 'V',
  '450847001': 'P',
  '422768004': 'U',
};

/** The lines of one vitals set: each measurement with its label and unit in the reader's language. */
function vitalSetLines(
  members: readonly FhirResource[],
  formatNumber: (n: number, digits: number) => string,
  unitText: (unit: string) => string,
): Line[] {
  const lines: Line[] = [];
  // Known vital signs (blood pressure merged from its components or separate Observations).
  for (const s of extractVitals(members)) {
    const point = s.points[s.points.length - 1];
    if (!point) continue;
    lines.push({
      key: 'vitals.line',
      values: { value: formatVital(point, formatNumber, s.digits), unit: unitText(s.unit) },
      tValues: { label: `vitals.${s.key}` },
    });
  }
  let news2: Line | undefined;
  for (const m of members) {
    const r = m as FhirResource & Any;
    const code = cc(r.code);
    const q = r.valueQuantity as { value?: number; unit?: string; code?: string } | undefined;
    if (isNews2(m)) {
      const n = news2Summary(m);
      news2 =
        n.score === undefined
          ? { key: 'news2.incomplete' }
          : {
              key: n.response ? 'news2.scoreMeaning' : 'news2.score',
              values: { score: n.score },
              ...(n.response ? { tValues: { meaning: `news2.response.${n.response}` } } : {}),
            };
    } else if (hasCode(code, [AVPU_LOINC])) {
      const value = cc(r.valueCodeableConcept);
      const level =
        value?.coding?.map((c) => AVPU_LEVELS[c.code ?? '']).find(Boolean) ??
        (/^[ACVPU]$/.test(value?.text?.trim() ?? '') ? value?.text?.trim() : undefined);
      lines.push(
        level
          ? {
              key: 'vitals.line',
              values: { value: '', unit: '' },
              tValues: { label: 'vitals.avpu', value: `vitals.avpuLevel.${level}` },
            }
          : {
              key: 'vitals.line',
              values: { value: conceptText(value) || '—', unit: '' },
              tValues: { label: 'vitals.avpu' },
            },
      );
    } else if (hasCode(code, [O2_FLOW_LOINC, FIO2_LOINC]) && typeof q?.value === 'number') {
      const flow = hasCode(code, [O2_FLOW_LOINC]);
      const air = flow ? q.value === 0 : q.value <= 21;
      lines.push({
        key: air ? 'vitals.onAir' : 'vitals.line',
        values: { value: formatNumber(q.value, 1), unit: unitText(q.unit ?? q.code ?? '') },
        tValues: { label: flow ? 'vitals.oxygenFlow' : 'vitals.fio2' },
      });
    } else if (extractVitals([m]).length === 0) {
      // Another measurement of the set: its own words (the record's), the unit made readable.
      const value =
        typeof q?.value === 'number'
          ? `${formatNumber(q.value, 2)} ${unitText(q.unit ?? q.code ?? '')}`.trim()
          : typeof r.valueString === 'string'
            ? r.valueString
            : conceptText(cc(r.valueCodeableConcept));
      if (value) lines.push({ text: `${conceptText(code) || '—'}: ${value}` });
    }
  }
  if (news2) lines.push(news2);
  return lines;
}

/**
 * A line of text: a message key with its values (`tValues`: values that are message keys
 * themselves, translated first), or literal text (from the record itself).
 */
export type Line =
  | { key: string; values?: Record<string, string | number>; tValues?: Record<string, string> }
  | { text: string };

export interface EntryText {
  title: Line;
  lines: Line[];
  /** Status code to translate under `status.` (finished, active, resolved...). */
  status?: string;
}

type Any = Record<string, unknown>;
const cc = (v: unknown) => v as CodeableConcept | undefined;
const refName = (ref: Reference | undefined, names: ReadonlyMap<string, string>): string | undefined =>
  ref ? (ref.display ?? (ref.reference ? names.get(ref.reference) : undefined) ?? ref.reference) : undefined;
const statusCode = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : (cc(v)?.coding?.find((c) => c.code)?.code ?? undefined);

export function encounterDoctors(r: FhirResource, names: ReadonlyMap<string, string>): string[] {
  const parts = ((r as Any).participant ?? []) as { individual?: Reference }[];
  return parts.map((p) => refName(p.individual, names)).filter((n): n is string => Boolean(n));
}

export function entryText(
  entry: TimelineEntry,
  names: ReadonlyMap<string, string>,
  formatNumber: (n: number, digits: number) => string,
  unitText: (unit: string) => string = displayUnit,
): EntryText {
  const r = entry.resource as FhirResource & Any;
  const lines: Line[] = [];
  switch (entry.kind) {
    case 'visit': {
      const cls = (r.class as { code?: string } | undefined)?.code;
      const known = ['VR', 'AMB', 'HH', 'IMP', 'EMER'];
      const doctors = encounterDoctors(r, names);
      if (doctors.length) lines.push({ key: 'doctor', values: { name: doctors.join(', ') } });
      const reason = ((r.reasonCode ?? []) as CodeableConcept[]).map(conceptText).filter(Boolean).join(', ');
      if (reason) lines.push({ key: 'reason', values: { text: reason } });
      return {
        title: { key: `visitClass.${cls && known.includes(cls) ? cls : 'other'}` },
        lines,
        status: statusCode(r.status),
      };
    }
    case 'vital':
    case 'result': {
      if (entry.members)
        return { title: { key: 'vitals.set' }, lines: vitalSetLines(entry.members, formatNumber, unitText) };
      const series = extractVitals([r]);
      const name = conceptText(cc(r.code)) || '';
      const s = series[0];
      const point = s?.points[0];
      if (s && point) {
        return {
          title: { key: `vitals.${s.key}` },
          lines: [{ text: `${formatVital(point, formatNumber, s.digits)} ${unitText(s.unit)}` }],
        };
      }
      const q = r.valueQuantity as { value?: number; unit?: string; code?: string } | undefined;
      if (typeof q?.value === 'number')
        lines.push({ text: `${formatNumber(q.value, 2)} ${unitText(q.unit ?? q.code ?? '')}`.trim() });
      else if (typeof r.valueString === 'string') lines.push({ text: r.valueString });
      else if (r.valueCodeableConcept) lines.push({ text: conceptText(cc(r.valueCodeableConcept)) });
      const interp = ((r.interpretation ?? []) as CodeableConcept[]).map(conceptText).filter(Boolean);
      if (interp.length) lines.push({ text: interp.join(', ') });
      return { title: name ? { text: name } : { key: `kinds.${entry.kind}` }, lines };
    }
    case 'diagnosis': {
      const code = cc(r.code);
      const text = conceptText(code);
      const c = conceptCode(code);
      if (c && c !== text) lines.push({ key: 'codeLabel', values: { code: c } });
      return {
        title: { key: 'diagnosisLabel', values: { text: text || '—' } },
        lines,
        status: statusCode(r.clinicalStatus),
      };
    }
    case 'allergy': {
      const reactions = ((r.reaction ?? []) as { manifestation?: CodeableConcept[] }[])
        .flatMap((x) => x.manifestation ?? [])
        .map(conceptText)
        .filter(Boolean);
      if (reactions.length) lines.push({ key: 'reaction', values: { text: reactions.join(', ') } });
      if (typeof r.criticality === 'string') lines.push({ key: `criticality.${r.criticality}` });
      return {
        title: { key: 'allergyLabel', values: { text: conceptText(cc(r.code)) || '—' } },
        lines,
        status: statusCode(r.clinicalStatus),
      };
    }
    case 'medication': {
      const med =
        conceptText(cc(r.medicationCodeableConcept)) ||
        (r.medicationReference as Reference | undefined)?.display ||
        '—';
      const dosage = ((r.dosageInstruction ?? r.dosage ?? []) as { text?: string }[])
        .map((d) => d.text)
        .filter(Boolean)
        .join('; ');
      if (dosage) lines.push({ key: 'dosage', values: { text: dosage } });
      if (r.resourceType === 'MedicationStatement') lines.push({ key: 'selfReported' });
      const by = refName(r.requester as Reference | undefined, names);
      if (by) lines.push({ key: 'prescribedBy', values: { name: by } });
      return { title: { text: med }, lines, status: statusCode(r.status) };
    }
    case 'vaccination': {
      const doses = (
        (r.protocolApplied ?? []) as { doseNumberPositiveInt?: number; doseNumberString?: string }[]
      )
        .map((p) => p.doseNumberPositiveInt ?? p.doseNumberString)
        .filter((d) => d !== undefined);
      if (doses.length) lines.push({ key: 'doseNumber', values: { n: String(doses[0]) } });
      return {
        title: { text: conceptText(cc(r.vaccineCode)) || '—' },
        lines,
        status: statusCode(r.status) === 'completed' ? undefined : statusCode(r.status),
      };
    }
    case 'document': {
      const att = ((r.content ?? []) as { attachment?: { title?: string } }[])[0]?.attachment;
      const title =
        (typeof r.description === 'string' && r.description) || att?.title || conceptText(cc(r.type));
      if (att?.title && att.title !== title) lines.push({ text: att.title });
      return { title: title ? { text: title } : { key: 'unnamed' }, lines };
    }
    case 'note': {
      const summary =
        typeof r.summary === 'string' ? r.summary : typeof r.description === 'string' ? r.description : '';
      if (summary) lines.push({ text: summary });
      const by = refName(r.assessor as Reference | undefined, names);
      if (by) lines.push({ key: 'doctor', values: { name: by } });
      return { title: { key: 'kinds.note' }, lines };
    }
  }
}
