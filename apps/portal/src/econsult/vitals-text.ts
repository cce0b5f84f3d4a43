import '../record/messages';
import { displayUnit, VITALS } from '../record/vitals';

/** An Observation's value as one line of text (as the server's case view gives it to the specialist). */
export interface ObservationLike {
  id?: string;
  code?: { coding?: { code?: string; display?: string }[]; text?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; unit?: string };
  valueInteger?: number;
  valueCodeableConcept?: { text?: string; coding?: { display?: string }[] };
  component?: { valueQuantity?: { value?: number; unit?: string } }[];
}

export function observationValue(o: ObservationLike): string | undefined {
  const parts = (o.component ?? []).map((c) => c.valueQuantity).filter((q) => q?.value !== undefined);
  if (parts.length > 0)
    return `${parts.map((q) => q?.value).join('/')}${parts[0]?.unit ? ` ${parts[0].unit}` : ''}`;
  const q = o.valueQuantity;
  if (q?.value !== undefined) return `${q.value}${q.unit ? ` ${q.unit}` : ''}`;
  if (o.valueInteger !== undefined) return String(o.valueInteger);
  return o.valueCodeableConcept?.text ?? o.valueCodeableConcept?.coding?.[0]?.display;
}

/** The Observations of the latest measurement (same effective time as the newest one). */
export function latestSet<T extends ObservationLike>(newestFirst: T[]): T[] {
  const at = newestFirst[0]?.effectiveDateTime;
  return at === undefined ? [] : newestFirst.filter((o) => o.effectiveDateTime === at);
}

/** A vital's name in the user's language (the record's words), else the Observation's own. */
export function vitalName(
  t: (key: string, o?: Record<string, unknown>) => string,
  code: string | undefined,
  fallback: string | undefined,
): string {
  if (code === '67775-7') return t('vitals.avpu', { ns: 'record' });
  const def = code ? VITALS.find((v) => v.codes.includes(code)) : undefined;
  return def ? t(`vitals.${def.key}`, { ns: 'record' }) : (fallback ?? code ?? '');
}

/**
 * `38.2 Cel` → `38.2 °C` (`38,2 °C` in Vietnamese): the UCUM unit at the end of a value, and the
 * decimal mark, as people write them.
 */
export function valueText(value: string | undefined, lang = 'en'): string {
  if (!value) return '';
  const m = /^(.*) (\S+)$/.exec(value);
  const [number, unit] = m ? [m[1] ?? '', displayUnit(m[2] ?? '')] : [value, ''];
  const local = lang.startsWith('vi') ? number.replace(/(\d)\.(\d)/g, '$1,$2') : number;
  return unit ? `${local} ${unit}` : local;
}
