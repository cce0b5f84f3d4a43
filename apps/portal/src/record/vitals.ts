/**
 * Vital-sign series from Observations (LOINC codes), including blood pressure from the panel's
 * systolic/diastolic components, and the points of a small line chart.
 */
import { type FhirResource } from '../api';
import { type CodeableConcept, hasCode, timeOf } from './fhir-util';

export type VitalKey =
  'heartRate' | 'bloodPressure' | 'spo2' | 'temperature' | 'weight' | 'height' | 'respRate' | 'bmi';

export interface VitalDef {
  key: VitalKey;
  codes: readonly string[];
  /** The unit shown when the Observation has none. */
  unit: string;
  digits: number;
}

export const SYSTOLIC = '8480-6';
export const DIASTOLIC = '8462-4';
export const BP_PANEL = ['85354-9', '55284-4'];

export const VITALS: readonly VitalDef[] = [
  { key: 'bloodPressure', codes: [...BP_PANEL, SYSTOLIC, DIASTOLIC], unit: 'mmHg', digits: 0 },
  { key: 'heartRate', codes: ['8867-4'], unit: '/min', digits: 0 },
  { key: 'spo2', codes: ['59408-5', '2708-6', '59417-6'], unit: '%', digits: 0 },
  { key: 'temperature', codes: ['8310-5', '8331-1'], unit: 'Cel', digits: 1 },
  { key: 'respRate', codes: ['9279-1'], unit: '/min', digits: 0 },
  { key: 'weight', codes: ['29463-7', '3141-9'], unit: 'kg', digits: 1 },
  { key: 'height', codes: ['8302-2', '8306-3'], unit: 'cm', digits: 1 },
  { key: 'bmi', codes: ['39156-5'], unit: 'kg/m2', digits: 1 },
];

export interface VitalPoint {
  /** FHIR instant/date of the measurement. */
  date: string;
  /** One value (two for blood pressure: systolic, diastolic; NaN when one is missing). */
  values: number[];
}

export interface VitalSeries {
  key: VitalKey;
  unit: string;
  digits: number;
  /** Oldest first. */
  points: VitalPoint[];
}

interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}
interface Obs {
  resourceType: string;
  status?: string;
  code?: CodeableConcept;
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string };
  effectiveInstant?: string;
  issued?: string;
  valueQuantity?: Quantity;
  component?: { code?: CodeableConcept; valueQuantity?: Quantity }[];
}

const num = (q: Quantity | undefined): number | undefined =>
  typeof q?.value === 'number' && Number.isFinite(q.value) ? q.value : undefined;

/** Human units for the UCUM codes used by vital signs. */
export function displayUnit(unit: string): string {
  switch (unit) {
    case 'Cel':
      return '°C';
    case '/min':
    case '{beats}/min':
    case 'beats/min':
    case '{breaths}/min':
    case 'breaths/min':
    case 'bpm':
      return '/min';
    case 'kg/m2':
    case 'kg/m^2':
      return 'kg/m²';
    case 'mm[Hg]':
    case 'mm Hg':
    case 'mmhg':
      return 'mmHg';
    case '[degF]':
      return '°F';
    case 'L/min':
    case 'l/min':
      return 'L/min';
    default:
      return unit;
  }
}

/** The vital-sign series found in these Observations (only series that have a value), in VITALS order. */
export function extractVitals(observations: readonly FhirResource[]): VitalSeries[] {
  const byKey = new Map<VitalKey, VitalSeries>();
  // Blood pressure measured as separate systolic/diastolic Observations at the same time: merge.
  const bpByDate = new Map<string, VitalPoint>();
  for (const r of observations) {
    const o = r as Obs;
    if (o.resourceType !== 'Observation') continue;
    if (o.status === 'entered-in-error' || o.status === 'cancelled') continue;
    const date = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued;
    if (!date) continue;
    const def = VITALS.find((d) => hasCode(o.code, d.codes));
    if (!def) continue;
    let series = byKey.get(def.key);
    const ensure = (unit?: string): VitalSeries => {
      series ??= { key: def.key, unit: unit ?? def.unit, digits: def.digits, points: [] };
      byKey.set(def.key, series);
      return series;
    };
    if (def.key === 'bloodPressure') {
      let sys: number | undefined;
      let dia: number | undefined;
      let unit: string | undefined;
      if (hasCode(o.code, [SYSTOLIC]) && !hasCode(o.code, BP_PANEL)) {
        sys = num(o.valueQuantity);
        unit = o.valueQuantity?.unit;
      } else if (hasCode(o.code, [DIASTOLIC]) && !hasCode(o.code, BP_PANEL)) {
        dia = num(o.valueQuantity);
        unit = o.valueQuantity?.unit;
      } else {
        for (const c of o.component ?? []) {
          if (hasCode(c.code, [SYSTOLIC])) sys = num(c.valueQuantity);
          if (hasCode(c.code, [DIASTOLIC])) dia = num(c.valueQuantity);
          unit ??= c.valueQuantity?.unit;
        }
      }
      if (sys === undefined && dia === undefined) continue;
      const s = ensure(unit);
      const existing = bpByDate.get(date);
      if (existing) {
        if (sys !== undefined) existing.values[0] = sys;
        if (dia !== undefined) existing.values[1] = dia;
      } else {
        const point = { date, values: [sys ?? Number.NaN, dia ?? Number.NaN] };
        bpByDate.set(date, point);
        s.points.push(point);
      }
      continue;
    }
    const value = num(o.valueQuantity);
    if (value === undefined) continue;
    ensure(o.valueQuantity?.unit ?? o.valueQuantity?.code).points.push({ date, values: [value] });
  }
  const out: VitalSeries[] = [];
  for (const def of VITALS) {
    const s = byKey.get(def.key);
    if (!s || s.points.length === 0) continue;
    s.points.sort((a, b) => timeOf(a.date) - timeOf(b.date));
    out.push(s);
  }
  return out;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Space around the plot (for axis labels). */
  padLeft: number;
  padRight: number;
  padTop: number;
  padBottom: number;
}

export const DEFAULT_BOX: ChartBox = {
  width: 320,
  height: 120,
  padLeft: 36,
  padRight: 10,
  padTop: 10,
  padBottom: 14,
};

export interface ChartGeometry {
  /** One polyline per line of the series (two for blood pressure); points with no value are skipped. */
  lines: { x: number; y: number; value: number; date: string }[][];
  min: number;
  max: number;
  /** y of the min and max labels. */
  yMin: number;
  yMax: number;
}

/**
 * Points of a line chart: time on x (evenly spread when all points share a time), values on y
 * with a little headroom; y grows downwards in SVG, so higher values are nearer the top.
 */
export function chartGeometry(series: VitalSeries, box: ChartBox = DEFAULT_BOX): ChartGeometry {
  const values = series.points.flatMap((p) => p.values).filter((v) => Number.isFinite(v));
  let min = values.length ? Math.min(...values) : 0;
  let max = values.length ? Math.max(...values) : 1;
  if (min === max) {
    const pad = Math.max(Math.abs(min) * 0.05, 1);
    min -= pad;
    max += pad;
  }
  const times = series.points.map((p) => timeOf(p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const plotW = box.width - box.padLeft - box.padRight;
  const plotH = box.height - box.padTop - box.padBottom;
  const n = series.points.length;
  const xOf = (i: number): number => {
    if (n === 1) return box.padLeft + plotW / 2;
    if (t1 === t0) return box.padLeft + (plotW * i) / (n - 1);
    return box.padLeft + (plotW * ((times[i] as number) - t0)) / (t1 - t0);
  };
  const yOf = (v: number): number => box.padTop + plotH * (1 - (v - min) / (max - min));
  const lineCount = Math.max(1, ...series.points.map((p) => p.values.length));
  const round = (v: number) => Math.round(v * 10) / 10;
  const lines: ChartGeometry['lines'] = [];
  for (let l = 0; l < lineCount; l++) {
    const line: ChartGeometry['lines'][number] = [];
    series.points.forEach((p, i) => {
      const v = p.values[l];
      if (v === undefined || !Number.isFinite(v)) return;
      line.push({ x: round(xOf(i)), y: round(yOf(v)), value: v, date: p.date });
    });
    lines.push(line);
  }
  return { lines, min, max, yMin: round(yOf(min)), yMax: round(yOf(max)) };
}

/** The most recent point of a series. */
export function latest(series: VitalSeries): VitalPoint | undefined {
  return series.points[series.points.length - 1];
}

/** A value as text: "120/80" for blood pressure, else the number. */
export function formatVital(
  point: VitalPoint,
  format: (n: number, digits: number) => string,
  digits: number,
): string {
  const parts = point.values.map((v) => (Number.isFinite(v) ? format(v, digits) : '–'));
  return parts.join('/');
}
