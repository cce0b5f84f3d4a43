/** Reading a Patient for the station screens: identifiers, age. */
import type { FhirResource } from '../api';
import { localDay } from '../format';
import { BHYT_SYSTEM, CCCD_SYSTEM } from './identifiers';

export interface PatientLike extends FhirResource {
  name?: { text?: string; family?: string; given?: string[] }[];
  birthDate?: string;
  gender?: string;
  identifier?: { system?: string; value?: string }[];
  telecom?: { system?: string; value?: string }[];
  address?: { text?: string; line?: string[]; city?: string; district?: string; state?: string }[];
}

export const identifierOf = (p: PatientLike, system: string): string | undefined =>
  p.identifier?.find((i) => i.system === system)?.value;
export const cccdOf = (p: PatientLike) => identifierOf(p, CCCD_SYSTEM);
export const bhytOf = (p: PatientLike) => identifierOf(p, BHYT_SYSTEM);
export const phoneOf = (p: PatientLike) => p.telecom?.find((t) => t.system === 'phone')?.value;

export function addressOf(p: PatientLike): string {
  const a = p.address?.[0];
  if (!a) return '';
  return a.text ?? [...(a.line ?? []), a.city, a.district, a.state].filter(Boolean).join(', ');
}

/** Age on `today` (YYYY-MM-DD, Vietnam's calendar day): whole years, or months under 2 years. */
export function ageOf(
  birthDate: string | undefined,
  today: string = localDay(),
): { years: number } | { months: number } | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
  if (months < 0) return undefined;
  if (months < 24) return { months };
  months = Math.floor(months / 12);
  return { years: months };
}
