import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName, resources, type FhirResource } from '../api';
import { formatDate, formatTime, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { conceptText } from './fhir-text';
import {
  confirmBody,
  declineBody,
  requestProblem,
  requestSearch,
  waitsForDoctor,
  type RequestAppointment,
} from './requests';
import { isoWeekday } from './week';
import './messages';

type Person = FhirResource & Parameters<typeof humanName>[0];

/** The doctor's upcoming holds that wait for them, with their patients' names. */
export async function loadRequests(practitioner: string, now: Date = new Date()) {
  const bundle = await fhir.search<RequestAppointment | Person>(
    'Appointment',
    requestSearch(practitioner, now),
  );
  const names = new Map<string, string>();
  for (const r of resources(bundle, true))
    if (r.resourceType === 'Patient' && r.id) names.set(`Patient/${r.id}`, humanName(r as Person));
  const requests = resources(bundle)
    .filter((r): r is RequestAppointment => r.resourceType === 'Appointment')
    .filter(waitsForDoctor);
  return { requests, names };
}

type Labels = Record<'name' | 'date' | 'time', string>;

function RequestItem({
  appointment: a,
  labels,
  onDone,
}: {
  appointment: RequestAppointment;
  labels: Labels;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation('doctor');
  const errorText = useErrorText();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const declineRef = useRef<HTMLButtonElement>(null);

  const problemText = (err: unknown): string => {
    const problem = requestProblem(err);
    return problem ? t(`requests.errors.${problem}`) : errorText(err);
  };

  const send = async (body: RequestAppointment, done: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await fhir.update(body);
      onDone(done);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const confirm = (): void => void send(confirmBody(a), t('requests.confirmed', labels));

  const decline = (e: FormEvent): void => {
    e.preventDefault();
    const text = reason.trim();
    if (!text) {
      setReasonMissing(true);
      reasonRef.current?.focus();
      return;
    }
    void send(declineBody(a, text), t('requests.declined', labels));
  };

  const reasonText = conceptText(a.reasonCode?.[0]) || a.description || t('requests.noReason');
  return (
    <li className="doctor-request" aria-labelledby={`${id}-who`}>
      <strong id={`${id}-who`}>{labels.name}</strong>
      <br />
      {t('requests.when', labels)}
      <br />
      {t('today.reason')}: {reasonText}
      {error !== undefined && (
        <p role="alert" className="error">
          {problemText(error)}
        </p>
      )}
      {!declining ? (
        <div className="doctor-row doctor-request-actions">
          <button
            type="button"
            disabled={busy}
            onClick={confirm}
            aria-label={t('requests.confirmFor', labels)}
          >
            {t('requests.confirm')}
          </button>
          <button
            type="button"
            ref={declineRef}
            className="secondary"
            disabled={busy}
            onClick={() => {
              setDeclining(true);
              setError(undefined);
            }}
            aria-label={t('requests.declineFor', labels)}
          >
            {t('requests.decline')}
          </button>
        </div>
      ) : (
        <form
          className="doctor-decline"
          onSubmit={decline}
          noValidate
          aria-label={t('requests.declineFor', labels)}
        >
          <label htmlFor={`${id}-reason`}>{t('requests.reasonLabel')}</label>
          <p className="doctor-hint" id={`${id}-hint`}>
            {t('requests.reasonHint')}
          </p>
          <textarea
            id={`${id}-reason`}
            ref={reasonRef}
            rows={2}
            value={reason}
            autoFocus
            required
            aria-invalid={reasonMissing || undefined}
            aria-describedby={`${id}-hint${reasonMissing ? ` ${id}-missing` : ''}`}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim()) setReasonMissing(false);
            }}
          />
          {reasonMissing && (
            <p className="error" id={`${id}-missing`} role="alert">
              {t('requests.reasonMissing')}
            </p>
          )}
          <div className="doctor-row doctor-request-actions">
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => {
                setDeclining(false);
                setReasonMissing(false);
                setError(undefined);
                setTimeout(() => declineRef.current?.focus(), 0);
              }}
              aria-label={t('requests.keepFor', labels)}
            >
              {t('requests.keep')}
            </button>
            <button
              type="submit"
              className="danger"
              disabled={busy}
              aria-label={t('requests.declineSendFor', labels)}
            >
              {t('requests.declineSend')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

/**
 * "Requests waiting for your confirmation": the doctor's upcoming video bookings whose reason is
 * "other" or has no ICD-10 code; confirm (`booked`) or decline with a reason (`cancelled`).
 */
export function Requests({ practitioner, onChange }: { practitioner: string; onChange?: () => void }) {
  const { t, i18n } = useTranslation('doctor');
  const lang = i18n.language;
  const state = useAsync(() => loadRequests(practitioner), [practitioner]);
  const [message, setMessage] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);

  const labelsOf = (a: RequestAppointment, names: Map<string, string>): Labels => {
    const ref = a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    const name =
      (ref && names.get(ref)) ||
      a.participant?.find((p) => p.actor?.reference === ref)?.actor?.display ||
      t('today.unknownPatient');
    const weekday = a.start ? t(`weekdays.${isoWeekday(localDay(a.start))}`) : '';
    return {
      name,
      date: `${weekday} ${formatDate(a.start, lang)}`.trim(),
      time: `${formatTime(a.start, lang)}–${formatTime(a.end, lang)}`,
    };
  };

  return (
    <section className="card doctor-requests" aria-labelledby="doctor-requests-heading">
      <h2 id="doctor-requests-heading" ref={headingRef} tabIndex={-1}>
        {t('requests.heading')}
      </h2>
      <p className="doctor-hint">{t('requests.note')}</p>
      <p role="status" className={message ? 'ok' : 'visually-hidden'}>
        {message}
      </p>
      <AsyncView state={state}>
        {({ requests, names }) =>
          requests.length === 0 ? (
            <p>{t('requests.none')}</p>
          ) : (
            <ul className="plain" data-testid="doctor-requests">
              {requests.map((a) => (
                <RequestItem
                  key={`${a.id ?? ''}-${String((a.meta as { versionId?: string } | undefined)?.versionId)}`}
                  appointment={a}
                  labels={labelsOf(a, names)}
                  onDone={(done) => {
                    setMessage(done);
                    headingRef.current?.focus();
                    state.reload();
                    onChange?.();
                  }}
                />
              ))}
            </ul>
          )
        }
      </AsyncView>
      <button type="button" className="secondary" onClick={state.reload}>
        {t('today.refresh')}
      </button>
    </section>
  );
}
