import { type AppendixRow, APPENDIX_VII } from './tt26-appendix-vii';

/** Circular 26/2025/TT-BYT art. 6(8)(a): each drug at most 30 days. */
export const MAX_DAYS = 30;
/** Circular 26/2025/TT-BYT art. 6(8)(b): up to 90 days for a disease of Appendix VII. */
export const MAX_DAYS_APPENDIX_VII = 90;

/** One drug of a prescription as the doctor writes it at the end of a visit. */
export interface StructuredPrescription {
  /** Drug name as prescribed (INN, or INN + brand; Circular 26/2025 art. 6(5)). */
  readonly medication: string;
  /** Dose, times a day, route, when (art. 6(6)). */
  readonly dosage: string;
  /** National drug list code (MA_THUOC). */
  readonly drugCode: string;
  readonly quantity: number;
  /** Unit of the quantity (viên, ống, gói, chai…). */
  readonly unit: string;
  /** Days of use (art. 6(6), 6(8)). */
  readonly days: number;
  /** c (ordinary; the only type issued, see ISSUED_TYPES). */
  readonly type: 'c';
}

function normal(code: string): string {
  return code.trim().toUpperCase();
}

function matches(entry: string, code: string): boolean {
  const c = normal(code);
  const range = entry.split('–');
  if (range.length === 2) {
    const cat = c.slice(0, 3);
    return cat >= range[0]! && cat <= range[1]! && cat[0] === range[0]![0];
  }
  return c.startsWith(entry);
}

/** The Appendix VII row a diagnosis code falls in (undefined: none of the loaded rows). */
export function appendixRowOf(
  code: string,
  rows: readonly AppendixRow[] = APPENDIX_VII,
): AppendixRow | undefined {
  return rows.find((r) => r.icd10.some((e) => matches(e, code)));
}

/**
 * What is wrong with a visit's prescriptions (empty: nothing). Each message names the rule and the
 * field, in English and Vietnamese: `prescriptions[1].days` 45 needs a diagnosis of Appendix VII.
 */
export function prescribingProblems(
  prescriptions: readonly Pick<StructuredPrescription, 'days' | 'medication'>[],
  diagnoses: readonly { code: string }[],
): string[] {
  const longTerm = diagnoses.map((d) => appendixRowOf(d.code)).find((r) => r !== undefined);
  const problems: string[] = [];
  prescriptions.forEach((p, i) => {
    const field = `prescriptions[${i}].days`;
    if (p.days > MAX_DAYS_APPENDIX_VII)
      problems.push(
        `${field}: ${p.days} days is over the 90-day maximum (Circular 26/2025/TT-BYT art. 6(8)(b)) / số ngày dùng ${p.days} vượt tối đa 90 ngày (Thông tư 26/2025/TT-BYT Điều 6 khoản 8 điểm b)`,
      );
    else if (p.days > MAX_DAYS && !longTerm)
      problems.push(
        `${field}: ${p.days} days is over 30 (Circular 26/2025/TT-BYT art. 6(8)(a)); up to 90 only with a diagnosis of the visit listed in its Appendix VII / số ngày dùng ${p.days} vượt 30 ngày (Điều 6 khoản 8 điểm a); chỉ được đến 90 ngày khi buổi khám có chẩn đoán thuộc Phụ lục VII`,
      );
  });
  return problems;
}
