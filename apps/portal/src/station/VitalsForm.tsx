import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, fhir, type FhirResource } from '../api';
import { useErrorText } from '../shell/async';
import { Field, SelectField } from './Field';
import { routingOf } from '../alerts/alerts-api';
import { isAlert, NEWS2_CODE, news2Summary } from './news2-response';
import { News2Panel, type News2State } from './News2Panel';
import {
  AVPU,
  checkVitals,
  EMPTY_VITALS,
  hasAnyVital,
  type NumericVital,
  type VitalError,
  type VitalField,
  type VitalsForm as Form,
  vitalsBundle,
} from './vitals';
import { isOffline, queueVitals } from './offline/queue';
import { CAPTURE_SYSTEM, withCaptureId } from './offline/outbox';
import './offline/messages';
import { PendingVitals } from './offline/PendingVitals';

const ORDER: VitalField[] = [
  'heartRate',
  'systolic',
  'diastolic',
  'spo2',
  'temperature',
  'respiratoryRate',
  'oxygenFlow',
  'weight',
  'height',
  'avpu',
];
const DECIMAL = new Set<VitalField>(['temperature', 'oxygenFlow', 'weight', 'height']);

/**
 * The Observations of a vitals Bundle with their capture identifiers (the entry's urn:uuid), each
 * created only if no Observation has that identifier yet: sending the set again never duplicates it
 * (a lost answer, then the outbox's replay — docs/offline-station.md).
 */
function conditionalBundle(bundle: ReturnType<typeof vitalsBundle>) {
  const entry = bundle.entry.map((e) => {
    const id = e.fullUrl.replace('urn:uuid:', '');
    return {
      ...e,
      resource: withCaptureId(e.resource, id),
      request: { ...e.request, ifNoneExist: `identifier=${CAPTURE_SYSTEM}|${id}` },
    };
  });
  return { ...bundle, entry };
}

/**
 * Records the vitals typed at the station, in one transaction Bundle of Observations. Offline (or
 * for a patient whose registration still waits on this device: `queued`), the set is kept in the
 * outbox and sent when the link returns.
 */
export function VitalsForm({
  patientId,
  queued,
  label = '',
  performer,
}: {
  patientId?: string;
  queued?: string;
  label?: string;
  performer?: string;
}) {
  const { t } = useTranslation('station');
  const { t: tOffline } = useTranslation('offline');
  const errorText = useErrorText();
  const [form, setForm] = useState<Form>(EMPTY_VITALS);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<
    { ok: true; n: number } | { ok: 'queued'; n: number } | { ok: false; text: string }
  >();
  // The NEWS2 of the last saved set: it stays on screen while the next values are typed.
  const [news2, setNews2] = useState<News2State>();
  const formRef = useRef<HTMLFormElement>(null);

  const errors = checkVitals(form);
  const text = (e: VitalError | undefined) => (e ? t(e.key, e.values) : undefined);
  // Out-of-range values are shown as soon as typed (a number is complete when typed).
  const errorOf = (f: VitalField) => text(errors[f]) ?? undefined;

  const field = (f: NumericVital, label = t(`vitals.${f}`)) => (
    <Field
      id={`vit-${f}`}
      name={f}
      label={label}
      value={form[f]}
      inputMode={DECIMAL.has(f) ? 'decimal' : 'numeric'}
      autoComplete="off"
      onChange={(e) => {
        const value = e.target.value;
        setForm((prev) => ({ ...prev, [f]: value }));
        setResult(undefined);
      }}
      error={errorOf(f)}
    />
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setResult(undefined);
    const bad = ORDER.filter((f) => errors[f]);
    if (bad.length) {
      formRef.current?.querySelector<HTMLElement>(`#vit-${bad[0] as string}`)?.focus();
      return;
    }
    if (!hasAnyVital(form)) return;
    setSaving(true);
    setNews2(undefined);
    let saved: string | undefined;
    const bundle = conditionalBundle(vitalsBundle(form, patientId ?? '', performer));
    const capturedAt = String(bundle.entry[0]?.resource.effectiveDateTime);
    const keep = async () => {
      const target = queued !== undefined ? { queued } : { id: patientId ?? '' };
      const observations: FhirResource[] = bundle.entry.map((e) => e.resource);
      await queueVitals(observations, target, label, capturedAt);
      setResult({ ok: 'queued', n: bundle.entry.length });
      setForm(EMPTY_VITALS);
      setSubmitted(false);
    };
    try {
      if (queued !== undefined || isOffline()) await keep();
      else {
        await api('/fhir', { method: 'POST', json: bundle });
        saved = capturedAt;
        setResult({ ok: true, n: bundle.entry.length });
        setForm(EMPTY_VITALS);
        setSubmitted(false);
      }
    } catch (err) {
      // The link dropped while sending: kept on the device, sent again with the same identifiers.
      if (err instanceof ApiError && err.status === 0)
        await keep().catch(() => setResult({ ok: false, text: errorText(err) }));
      else setResult({ ok: false, text: errorText(err) });
    } finally {
      setSaving(false);
    }
    if (saved) await showNews2(saved);
  };

  /** The server scored the set in the same transaction: read its NEWS2 Observation. */
  const showNews2 = async (effective: string) => {
    setNews2({ kind: 'checking' });
    try {
      const found = await fhir.search('Observation', {
        patient: `Patient/${patientId}`,
        code: NEWS2_CODE,
        date: `ge${effective}`,
        _sort: '-date',
        _count: '1',
      });
      const observation = found.entry?.[0]?.resource;
      const summary = observation ? news2Summary(observation) : undefined;
      setNews2(summary ? { kind: 'score', ...summary } : { kind: 'none' });
      // An alert: say who was called — or that nobody is on call (docs/care.md § Who is told).
      if (observation?.id && isAlert(summary?.response)) {
        const routing = await routingOf(observation.id).catch(() => undefined);
        if (routing && summary) setNews2({ kind: 'score', ...summary, routing });
      }
    } catch {
      setNews2({ kind: 'unavailable' });
    }
  };

  const errorCount = ORDER.filter((f) => errors[f]).length;
  return (
    <section aria-labelledby="vit-h" className="card">
      <h2 id="vit-h">{t('vitals.heading')}</h2>
      <PendingVitals {...(patientId ? { patientId } : {})} {...(queued ? { queued } : {})} />
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <div className="grid2">
          {field('heartRate')}
          {field('spo2')}
        </div>
        <fieldset style={{ minWidth: 0 }}>
          <legend>{t('vitals.bp')}</legend>
          <div className="grid2">
            {field('systolic')}
            {field('diastolic')}
          </div>
        </fieldset>
        <div className="grid2">
          {field('temperature')}
          {field('respiratoryRate')}
          {field('oxygenFlow')}
          {field('weight')}
          {field('height')}
          <SelectField
            id="vit-avpu"
            name="avpu"
            label={t('vitals.avpu')}
            value={form.avpu}
            onChange={(e) => setForm((prev) => ({ ...prev, avpu: e.target.value }))}
            error={errorOf('avpu')}
          >
            <option value="">{t('vitals.avpuNone')}</option>
            {(Object.keys(AVPU) as (keyof typeof AVPU)[]).map((k) => (
              <option key={k} value={k}>
                {t(`vitals.avpu${k}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {submitted && errorCount > 0 && (
          <p role="alert" className="error">
            {t('vitals.fixErrors', { n: errorCount })}
          </p>
        )}
        {submitted && errorCount === 0 && !hasAnyVital(form) && (
          <p role="alert" className="error">
            {t('vitals.nothing')}
          </p>
        )}
        {result?.ok === false && (
          <p role="alert" className="error">
            {result.text}
          </p>
        )}
        {result?.ok === true && (
          <p role="status" className="ok">
            {t('vitals.saved', { n: result.n })}
          </p>
        )}
        {result?.ok === 'queued' && (
          <p role="status" className="pending" data-testid="vitals-queued">
            {tOffline('vitals.queued', { n: result.n })}
          </p>
        )}
        {news2 && <News2Panel state={news2} />}
        <p>
          <button type="submit" disabled={saving}>
            {saving ? t('vitals.saving') : t('vitals.submit')}
          </button>
        </p>
      </form>
    </section>
  );
}
