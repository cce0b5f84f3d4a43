/** The registration form: its values, field checks (the server's rules) and the Patient it makes. */
import type { FhirResource } from '../api';
import { localDay } from '../format';
import {
  BHYT_SYSTEM,
  CCCD_SYSTEM,
  checkBhytInput,
  checkCccdInput,
  inLanguage,
  normalizeBhyt,
  normalizePhone,
} from './identifiers';

export interface PatientForm {
  family: string;
  middle: string;
  given: string;
  birthDate: string;
  gender: '' | 'male' | 'female' | 'other' | 'unknown';
  cccd: string;
  bhyt: string;
  phone: string;
  line: string;
  commune: string;
  district: string;
  province: string;
}

export const EMPTY_PATIENT_FORM: PatientForm = {
  family: '',
  middle: '',
  given: '',
  birthDate: '',
  gender: '',
  cccd: '',
  bhyt: '',
  phone: '',
  line: '',
  commune: '',
  district: '',
  province: '',
};

export type PatientField = keyof PatientForm;

/** A field's problem: an i18n key of the station namespace, or the server's own message text. */
export type FieldError = { key: string } | { text: string };

export interface FormCheck {
  errors: Partial<Record<PatientField, FieldError>>;
  /** Not blocking (e.g. CCCD sex digit differs from the recorded sex: legal sex can change). */
  warnings: Partial<Record<PatientField, FieldError>>;
}

/**
 * Checks the form. `complete` lists the fields the user has finished (left, or all on submit):
 * identifiers are checked as they are typed, but "too short" waits until the field is complete.
 */
export function checkPatientForm(
  form: PatientForm,
  locale: string,
  complete: ReadonlySet<PatientField> | 'all',
): FormCheck {
  const done = (f: PatientField) => complete === 'all' || complete.has(f);
  const errors: FormCheck['errors'] = {};
  const warnings: FormCheck['warnings'] = {};
  if (done('family') && !form.family.trim()) errors.family = { key: 'register.required' };
  if (done('given') && !form.given.trim()) errors.given = { key: 'register.required' };
  if (done('birthDate')) {
    if (!form.birthDate) errors.birthDate = { key: 'register.required' };
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.birthDate) || Number.isNaN(Date.parse(form.birthDate)))
      errors.birthDate = { key: 'register.badDate' };
    else if (form.birthDate > localDay()) errors.birthDate = { key: 'register.futureDate' };
    else if (form.birthDate < '1900-01-01') errors.birthDate = { key: 'register.badDate' };
  }
  if (done('gender') && !form.gender) errors.gender = { key: 'register.required' };

  const cccd = checkCccdInput(form.cccd, {
    birthDate: errors.birthDate ? undefined : form.birthDate,
    gender: form.gender,
    complete: done('cccd'),
  });
  if (cccd.errors[0]) errors.cccd = { text: inLanguage(cccd.errors[0], locale) };
  if (cccd.warnings[0]) warnings.cccd = { text: inLanguage(cccd.warnings[0], locale) };

  const bhyt = checkBhytInput(form.bhyt, { complete: done('bhyt') });
  if (bhyt[0]) errors.bhyt = { text: inLanguage(bhyt[0], locale) };

  if (done('phone') && form.phone.trim() && !normalizePhone(form.phone))
    errors.phone = { key: 'register.badPhone' };
  return { errors, warnings };
}

/** The Patient to POST: Vietnamese name order, identifiers, phone, address, managed by the station. */
export function patientResource(form: PatientForm, organization: string | undefined): FhirResource {
  const family = form.family.trim();
  const given = [form.middle.trim(), form.given.trim()].filter(Boolean);
  const identifier: { system: string; value: string }[] = [];
  if (form.cccd.trim()) identifier.push({ system: CCCD_SYSTEM, value: form.cccd.trim() });
  if (form.bhyt.trim()) identifier.push({ system: BHYT_SYSTEM, value: normalizeBhyt(form.bhyt) });
  const phone = normalizePhone(form.phone);
  const address = {
    line: form.line.trim() ? [form.line.trim()] : undefined,
    city: form.commune.trim() || undefined,
    district: form.district.trim() || undefined,
    state: form.province.trim() || undefined,
  };
  const hasAddress = Object.values(address).some((v) => v !== undefined);
  const text = [form.line, form.commune, form.district, form.province]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ');
  return {
    resourceType: 'Patient',
    active: true,
    ...(identifier.length ? { identifier } : {}),
    name: [{ use: 'official', text: [family, ...given].join(' '), family, given }],
    ...(phone ? { telecom: [{ system: 'phone', value: phone, use: 'mobile' }] } : {}),
    gender: form.gender || undefined,
    birthDate: form.birthDate,
    ...(hasAddress ? { address: [{ use: 'home', type: 'physical', text, ...address, country: 'VN' }] } : {}),
    ...(organization ? { managingOrganization: { reference: organization } } : {}),
  };
}

/** The If-None-Exist criteria: the CCCD, when one was typed. */
export function ifNoneExist(form: PatientForm): Record<string, string> | undefined {
  const cccd = form.cccd.trim();
  return cccd ? { 'If-None-Exist': `identifier=${CCCD_SYSTEM}|${cccd}` } : undefined;
}

/**
 * If-None-Exist answers an existing Patient (200) when the CCCD is already registered here: it is
 * the one we sent only if it has the name and birth date that were typed.
 */
export function isSamePerson(sent: FhirResource, answered: FhirResource): boolean {
  const n = (r: FhirResource) => {
    const name = (r.name as { family?: string; given?: string[] }[] | undefined)?.[0];
    return JSON.stringify([name?.family ?? '', name?.given ?? [], r.birthDate ?? ''])
      .normalize('NFC')
      .toLowerCase();
  };
  return n(sent) === n(answered);
}

/**
 * The fields a 422 OperationOutcome points at (issue.expression such as
 * `Patient.identifier[0].value`), with the server's message: shown next to the field.
 */
export function fieldOfIssues(body: unknown, sent: FhirResource): Partial<Record<PatientField, string>> {
  const out: Partial<Record<PatientField, string>> = {};
  const issues =
    (body as { issue?: { severity?: string; diagnostics?: string; expression?: string[] }[] } | undefined)
      ?.issue ?? [];
  const ids = (sent.identifier as { system?: string }[] | undefined) ?? [];
  for (const issue of issues) {
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    for (const expr of issue.expression ?? []) {
      let field: PatientField | undefined;
      const id = /^Patient\.identifier\[(\d+)\]/.exec(expr);
      if (id) {
        const system = ids[Number(id[1])]?.system;
        field = system === CCCD_SYSTEM ? 'cccd' : system === BHYT_SYSTEM ? 'bhyt' : undefined;
      } else if (expr.startsWith('Patient.birthDate')) field = 'birthDate';
      else if (expr.startsWith('Patient.gender')) field = 'gender';
      else if (expr.startsWith('Patient.telecom')) field = 'phone';
      else if (expr.startsWith('Patient.name')) field = 'family';
      if (field && !out[field]) {
        // The diagnostics start with the expression ("Patient.identifier[0].value: message").
        out[field] = (issue.diagnostics ?? '').replace(/^[\w.[\]]+:\s*/, '');
      }
    }
  }
  return out;
}
