import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fhir, humanName } from '../api';
import { useErrorText } from '../shell/async';
import { DateField } from '../shell/DateField';
import { Link, navigate } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { Field, SelectField } from './Field';
import { inLanguage } from './identifiers';
import {
  checkPatientForm,
  EMPTY_PATIENT_FORM,
  type FieldError,
  fieldOfIssues,
  ifNoneExist,
  isSamePerson,
  type PatientField,
  type PatientForm,
  patientResource,
} from './patient-form';
import type { PatientLike } from './patient-view';
import { rememberSearch } from './search-memory';
import { deviceUuid, withCaptureId } from './offline/outbox';
import { isOffline, queueRegistration } from './offline/queue';

const ORDER: PatientField[] = [
  'family',
  'middle',
  'given',
  'birthDate',
  'gender',
  'cccd',
  'bhyt',
  'phone',
  'line',
  'commune',
  'district',
  'province',
];

type Outcome =
  | { kind: 'duplicate'; cccd: string }
  | { kind: 'existing'; patient: PatientLike }
  | { kind: 'error'; text: string };

/** `/station/register`: a new patient of this station. What was typed is kept whatever happens. */
export function RegisterPage({ claims }: { claims: Claims }) {
  const { t, i18n } = useTranslation('station');
  const errorText = useErrorText();
  const [form, setForm] = useState<PatientForm>(EMPTY_PATIENT_FORM);
  const [done, setDone] = useState<Set<PatientField> | 'all'>(new Set());
  const [serverErrors, setServerErrors] = useState<Partial<Record<PatientField, string>>>({});
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const summaryRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const check = checkPatientForm(form, i18n.language, done);
  const message = (e: FieldError | undefined): string | undefined =>
    e === undefined ? undefined : 'key' in e ? t(e.key) : e.text;
  const errorOf = (f: PatientField) => serverErrors[f] ?? message(check.errors[f]);

  const set = (f: PatientField) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setForm((prev) => ({ ...prev, [f]: value }));
    setServerErrors((prev) => (prev[f] ? { ...prev, [f]: undefined } : prev));
  };
  const leave = (f: PatientField) => () =>
    setDone((prev) => (prev === 'all' || prev.has(f) ? prev : new Set([...prev, f])));
  const props = (f: PatientField) => ({
    id: `reg-${f}`,
    name: f,
    value: form[f],
    onChange: set(f),
    onBlur: leave(f),
    error: errorOf(f),
    warning: message(check.warnings[f]),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone('all');
    setOutcome(undefined);
    const full = checkPatientForm(form, i18n.language, 'all');
    const bad = ORDER.filter((f) => full.errors[f]);
    if (bad.length) {
      formRef.current?.querySelector<HTMLElement>(`#reg-${bad[0] as string}`)?.focus();
      return;
    }
    if (!claims.organization) return;
    // The device's capture identifier: if the link drops mid-send, the outbox sends the same Patient
    // again and the server recognises it (If-None-Exist on it) instead of making a second one.
    const resource = withCaptureId(patientResource(form, claims.organization), deviceUuid());
    const keep = async () => {
      const id = await queueRegistration(resource);
      navigate(`/station/queued/${encodeURIComponent(id)}`);
    };
    setSaving(true);
    if (isOffline()) {
      try {
        await keep();
      } catch (err) {
        setOutcome({ kind: 'error', text: errorText(err) });
        setSaving(false);
      }
      return;
    }
    try {
      const created = await fhir.create<PatientLike>(resource, ifNoneExist(form));
      if (created.id && !isSamePerson(resource, created)) {
        setOutcome({ kind: 'existing', patient: created });
        summaryRef.current?.focus();
        return;
      }
      navigate(`/station/patient/${encodeURIComponent(created.id ?? '')}?registered=1`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) {
        await keep().catch(() => setOutcome({ kind: 'error', text: errorText(err) }));
        return;
      }
      if (err instanceof ApiError && (err.status === 409 || err.status === 412) && form.cccd.trim()) {
        setOutcome({ kind: 'duplicate', cccd: form.cccd.trim() });
      } else {
        if (err instanceof ApiError && err.status === 422) {
          const fields = fieldOfIssues(err.body, resource);
          setServerErrors(
            Object.fromEntries(Object.entries(fields).map(([f, m]) => [f, inLanguage(m, i18n.language)])),
          );
        }
        setOutcome({
          kind: 'error',
          text: errorText(
            err instanceof ApiError ? new ApiError(err.status, inLanguage(err.message, i18n.language)) : err,
          ),
        });
      }
      summaryRef.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  const errorCount = done === 'all' ? ORDER.filter((f) => errorOf(f)).length : 0;

  return (
    <section aria-labelledby="reg-h">
      <h1 id="reg-h">{t('register.heading')}</h1>
      {!claims.organization && (
        <p role="alert" className="error">
          {t('register.noStation')}
        </p>
      )}
      <div ref={summaryRef} tabIndex={-1}>
        {errorCount > 0 && (
          <p role="alert" className="error">
            {t('register.fixErrors', { n: errorCount })}
          </p>
        )}
        {outcome?.kind === 'duplicate' && (
          <div role="alert" className="error">
            <p>{t('register.duplicate')}</p>
            <p>
              <Link to="/station" onClick={() => rememberSearch({ q: outcome.cccd, by: 'cccd' })}>
                {t('register.searchIt')}
              </Link>
            </p>
          </div>
        )}
        {outcome?.kind === 'existing' && (
          <div role="alert" className="error">
            <p>{t('register.existing', { name: humanName(outcome.patient) })}</p>
            <p>
              <Link to={`/station/patient/${encodeURIComponent(outcome.patient.id ?? '')}`}>
                {t('register.openExisting')}
              </Link>
            </p>
          </div>
        )}
        {outcome?.kind === 'error' && (
          <p role="alert" className="error">
            {outcome.text}
          </p>
        )}
      </div>
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="card" style={{ minWidth: 0 }}>
          <legend>{t('register.name')}</legend>
          <div className="grid2">
            <Field
              {...props('family')}
              label={`${t('register.family')} ${t('required')}`}
              autoComplete="family-name"
              required
            />
            <Field
              {...props('middle')}
              label={`${t('register.middle')} ${t('optional')}`}
              autoComplete="additional-name"
            />
            <Field
              {...props('given')}
              label={`${t('register.given')} ${t('required')}`}
              autoComplete="given-name"
              required
            />
          </div>
          <div className="grid2">
            <div>
              <label htmlFor="reg-birthDate">{`${t('register.birthDate')} ${t('required')}`}</label>
              {/* dd/mm/yyyy whatever the device's language (issue 18 item 16); the form gets YYYY-MM-DD. */}
              <DateField
                id="reg-birthDate"
                name="birthDate"
                value={form.birthDate}
                onChange={(value) => set('birthDate')({ target: { value } })}
                onBlur={leave('birthDate')}
                error={errorOf('birthDate')}
                autoComplete="bday"
                required
              />
            </div>
            <SelectField {...props('gender')} label={`${t('register.gender')} ${t('required')}`} required>
              <option value="">{t('gender.choose')}</option>
              <option value="male">{t('gender.male')}</option>
              <option value="female">{t('gender.female')}</option>
              <option value="other">{t('gender.other')}</option>
              <option value="unknown">{t('gender.unknown')}</option>
            </SelectField>
          </div>
        </fieldset>
        <fieldset className="card" style={{ minWidth: 0 }}>
          <legend>{t('register.identifiers')}</legend>
          <div className="grid2">
            <Field
              {...props('cccd')}
              label={`${t('register.cccd')} ${t('optional')}`}
              hint={t('register.cccdHint')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
            />
            <Field
              {...props('bhyt')}
              label={`${t('register.bhyt')} ${t('optional')}`}
              hint={t('register.bhytHint')}
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={20}
            />
            <Field
              {...props('phone')}
              type="tel"
              label={`${t('register.phone')} ${t('optional')}`}
              inputMode="tel"
              autoComplete="tel"
            />
          </div>
        </fieldset>
        <fieldset className="card" style={{ minWidth: 0 }}>
          <legend>{t('register.address')}</legend>
          <div className="grid2">
            <Field {...props('line')} label={t('register.line')} autoComplete="address-line1" />
            <Field {...props('commune')} label={t('register.commune')} />
            <Field {...props('district')} label={t('register.district')} />
            <Field {...props('province')} label={t('register.province')} />
          </div>
        </fieldset>
        <p>
          <button type="submit" disabled={saving || !claims.organization}>
            {saving ? t('register.saving') : t('register.submit')}
          </button>
        </p>
      </form>
    </section>
  );
}
