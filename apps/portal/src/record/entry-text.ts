/** What one timeline entry says, as message keys and values (pure, so it is easy to test). */
import { type FhirResource } from '../api';
import { type CodeableConcept, conceptCode, conceptText, type Reference } from './fhir-util';
import { type TimelineEntry } from './timeline';
import { displayUnit, extractVitals, formatVital } from './vitals';

/** A line of text: a message key with its values, or literal text (from the record itself). */
export type Line = { key: string; values?: Record<string, string | number> } | { text: string };

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
      const q = r.valueQuantity as { value?: number; unit?: string } | undefined;
      if (typeof q?.value === 'number')
        lines.push({ text: `${formatNumber(q.value, 2)} ${q.unit ?? ''}`.trim() });
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
