import type { FhirResource } from '@mekong/health-record';
import {
  DRUG_SYSTEM,
  E_PRESCRIPTION_CODE_SYSTEM,
  E_PRESCRIPTION_TYPE_SYSTEM,
  ICD10_SYSTEM,
  type PrescriptionType,
} from './eprescription.constants';

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface Concept {
  coding?: Coding[];
  text?: string;
}

/** What a MedicationRequest says that the national prescription needs (absent fields: undefined). */
export interface PrescribedDrug {
  readonly id: string;
  readonly type?: string;
  readonly drugCode?: string;
  readonly medication?: string;
  readonly quantity?: number;
  readonly unit?: string;
  readonly days?: number;
  readonly dosage?: string;
  readonly diagnoses: readonly { code: string; display?: string }[];
  readonly patient?: string;
  readonly encounter?: string;
  readonly requester?: string;
  readonly authoredOn?: string;
  readonly codes: readonly string[];
}

const idOf = (ref: unknown, type: string): string | undefined => {
  const r = (ref as { reference?: unknown } | undefined)?.reference;
  return typeof r === 'string' && r.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
};

/** The e-prescription type of a MedicationRequest (its category), or undefined: not a national prescription. */
export function prescriptionTypeOf(mr: FhirResource | null | undefined): string | undefined {
  for (const c of (mr?.category ?? []) as Concept[])
    for (const k of c.coding ?? []) if (k.system === E_PRESCRIPTION_TYPE_SYSTEM && k.code) return k.code;
  return undefined;
}

export function readDrug(mr: FhirResource): PrescribedDrug {
  const med = mr.medicationCodeableConcept as Concept | undefined;
  const drug = med?.coding?.find((c) => c.system === DRUG_SYSTEM);
  const dispense = mr.dispenseRequest as
    | {
        quantity?: { value?: number; unit?: string };
        expectedSupplyDuration?: { value?: number; code?: string };
      }
    | undefined;
  const duration = dispense?.expectedSupplyDuration;
  return {
    id: String(mr.id),
    type: prescriptionTypeOf(mr),
    drugCode: drug?.code,
    medication: med?.text ?? drug?.display,
    quantity: dispense?.quantity?.value,
    unit: dispense?.quantity?.unit,
    days: duration && (duration.code === 'd' || duration.code === undefined) ? duration.value : undefined,
    dosage: ((mr.dosageInstruction ?? []) as { text?: string }[])[0]?.text,
    diagnoses: ((mr.reasonCode ?? []) as Concept[]).flatMap((c) =>
      (c.coding ?? [])
        .filter((k) => k.system === ICD10_SYSTEM && k.code)
        .map((k) => ({ code: k.code!, ...(k.display ? { display: k.display } : {}) })),
    ),
    patient: idOf(mr.subject, 'Patient'),
    encounter: idOf(mr.encounter, 'Encounter'),
    requester: (mr.requester as { reference?: string } | undefined)?.reference,
    authoredOn: typeof mr.authoredOn === 'string' ? mr.authoredOn : undefined,
    codes: ((mr.identifier ?? []) as { system?: string; value?: string }[])
      .filter((i) => i.system === E_PRESCRIPTION_CODE_SYSTEM && i.value)
      .map((i) => i.value!),
  };
}

/** Missing or malformed fields, each naming the field (`MedicationRequest.dispenseRequest.quantity`). */
export function drugProblems(d: PrescribedDrug, label: string): string[] {
  const out: string[] = [];
  const need = (ok: boolean, field: string, what: string): void => {
    if (!ok) out.push(`${label}.${field}: ${what}`);
  };
  need(
    !!d.drugCode,
    'drugCode',
    'the national drug list code is required / cần mã thuốc (danh mục thuốc quốc gia)',
  );
  need(!!d.medication, 'medication', 'the drug name is required / cần tên thuốc');
  need(
    typeof d.quantity === 'number' && d.quantity > 0,
    'quantity',
    'a quantity above 0 is required / cần số lượng',
  );
  need(!!d.unit, 'unit', 'the unit is required / cần đơn vị tính');
  need(
    typeof d.days === 'number' && Number.isInteger(d.days) && d.days >= 1,
    'days',
    'the days of use (1 or more) are required (Circular 26/2025/TT-BYT art. 6(6)) / cần số ngày dùng',
  );
  need(!!d.dosage, 'dosage', 'how to take it is required (art. 6(6)) / cần cách dùng');
  need(!!d.patient, 'subject', 'a Patient is required');
  return out;
}

export type { PrescriptionType };
