import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ECONSULT_PRIORITIES,
  ECONSULT_UPLOAD_TYPES,
  type EconsultPriority,
} from '../../../../libs/contracts/src';
import { fhir, resources } from '../api';
import '../booking/messages';
import { SPECIALTIES } from '../booking/booking-logic';
import { formatDateTime } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Field, SelectField } from '../station/Field';
import { createCase, type EconsultCaseView } from './econsult-api';
import './messages';
import { refusalOf, uploadFile } from './upload';
import { latestSet, type ObservationLike, observationValue, valueText, vitalName } from './vitals-text';

type FileState = 'waiting' | 'sending' | 'retrying' | 'done' | 'failed';
interface Picked {
  key: string;
  file: File;
  state: FileState;
  percent: number;
  error?: string;
}

/** The patient's latest vitals (one measurement: the Observations of the newest time). */
async function latestVitals(patientId: string): Promise<ObservationLike[]> {
  const bundle = await fhir.search<ObservationLike>('Observation', {
    patient: `Patient/${patientId}`,
    category: 'vital-signs',
    _sort: '-date',
    _count: '20',
  });
  return latestSet(resources(bundle));
}

/**
 * The station's "send to a specialist" form (docs/econsult.md): specialty, question, priority, the
 * latest vitals, photos and documents (tus, resumable, SHA-256 from the browser), and the patient's
 * consent — required, in the words they agree to. Creates the case, then sends each file.
 */
export function SendCase({
  patientId,
  onSent,
  onClose,
}: {
  patientId: string;
  onSent: (c: EconsultCaseView) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('econsult');
  const { t: tb } = useTranslation('booking');
  const errorText = useErrorText();
  const id = useId();
  const vitals = useAsync(() => latestVitals(patientId), [patientId]);
  const [specialty, setSpecialty] = useState('');
  const [question, setQuestion] = useState('');
  const [priority, setPriority] = useState<EconsultPriority>('routine');
  const [attachVitals, setAttachVitals] = useState(true);
  const [consent, setConsent] = useState(false);
  const [files, setFiles] = useState<Picked[]>([]);
  const [refused, setRefused] = useState<string[]>([]);
  const [errors, setErrors] = useState<Partial<Record<'specialty' | 'question' | 'consent', string>>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [created, setCreated] = useState<EconsultCaseView>();

  const update = (key: string, patch: Partial<Picked>) =>
    setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, ...patch } : f)));

  const pick = (list: FileList | null) => {
    const accepted: Picked[] = [];
    const refusals: string[] = [];
    for (const file of Array.from(list ?? [])) {
      const why = refusalOf(file);
      if (why) refusals.push(t(`upload.${why}`, { name: file.name }));
      else
        accepted.push({
          key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`,
          file,
          state: 'waiting',
          percent: 0,
        });
    }
    setRefused(refusals);
    setFiles((fs) => [...fs, ...accepted]);
  };

  /** Sends the files not sent yet; true when all are on the server. */
  const sendFiles = async (caseId: string, list: Picked[]): Promise<boolean> => {
    let all = true;
    for (const f of list) {
      if (f.state === 'done') continue;
      update(f.key, { state: 'sending', error: undefined });
      try {
        await uploadFile(caseId, f.file, {
          onProgress: (sent, total) =>
            update(f.key, { state: 'sending', percent: total ? Math.floor((sent / total) * 100) : 0 }),
          onRetry: () => update(f.key, { state: 'retrying' }),
        });
        update(f.key, { state: 'done', percent: 100 });
      } catch (err) {
        all = false;
        update(f.key, { state: 'failed', error: errorText(err) });
      }
    }
    return all;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(undefined);
    if (created) {
      // The case is on the server; only files remain.
      setBusy(true);
      if (await sendFiles(created.id, files)) onSent(created);
      setBusy(false);
      return;
    }
    const found: typeof errors = {};
    if (!specialty) found.specialty = t('send.errors.specialty');
    if (question.trim().length < 5) found.question = t('send.errors.question');
    if (!consent) found.consent = t('send.errors.consent');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const observations =
        attachVitals && vitals.data
          ? vitals.data.map((o) => o.id).filter((x): x is string => typeof x === 'string')
          : [];
      const c = await createCase({
        patient: patientId,
        specialty,
        question: question.trim(),
        priority,
        consent,
        ...(observations.length > 0 ? { observations } : {}),
      });
      setCreated(c);
      if (await sendFiles(c.id, files)) onSent(c);
      else setFailure(t('send.filesFailed'));
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const locked = busy || created !== undefined;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`} data-testid="econsult-form">
      <h3 id={`${id}-h`}>{t('send.heading')}</h3>
      <p>{t('send.intro')}</p>
      <SelectField
        id={`${id}-specialty`}
        label={t('send.specialty')}
        value={specialty}
        disabled={locked}
        error={errors.specialty}
        onChange={(e) => setSpecialty(e.target.value)}
      >
        <option value="">{t('send.chooseSpecialty')}</option>
        {SPECIALTIES.map((code) => (
          <option key={code} value={code}>
            {tb(`specialties.${code}`)}
          </option>
        ))}
      </SelectField>
      <div>
        <label htmlFor={`${id}-question`}>{t('send.question')}</label>
        <textarea
          id={`${id}-question`}
          rows={4}
          maxLength={4000}
          value={question}
          disabled={locked}
          aria-invalid={errors.question ? true : undefined}
          aria-describedby={`${id}-question-hint ${id}-question-error`}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <small id={`${id}-question-hint`} style={{ display: 'block' }}>
          {t('send.questionHint')}
        </small>
        <p id={`${id}-question-error`} className="field-error" aria-live="polite">
          {errors.question}
        </p>
      </div>
      <SelectField
        id={`${id}-priority`}
        label={t('send.priority')}
        hint={t('send.priorityHint')}
        value={priority}
        disabled={locked}
        onChange={(e) => setPriority(e.target.value as EconsultPriority)}
      >
        {[...ECONSULT_PRIORITIES].reverse().map((p) => (
          <option key={p} value={p}>
            {t(`priority.${p}`)}
          </option>
        ))}
      </SelectField>
      <fieldset>
        <legend>{t('send.vitals')}</legend>
        <AsyncView state={vitals}>
          {(list) =>
            list.length === 0 ? (
              <p>{t('send.vitalsNone')}</p>
            ) : (
              <>
                <p>{t('send.vitalsAt', { at: formatDateTime(list[0]?.effectiveDateTime) })}</p>
                <ul data-testid="econsult-vitals">
                  {list.map((o) => (
                    <li key={o.id}>
                      {vitalName(t, o.code?.coding?.[0]?.code, o.code?.text ?? o.code?.coding?.[0]?.display)}:{' '}
                      {valueText(observationValue(o), i18n.language)}
                    </li>
                  ))}
                </ul>
                <label>
                  <input
                    type="checkbox"
                    checked={attachVitals}
                    disabled={locked}
                    onChange={(e) => setAttachVitals(e.target.checked)}
                  />{' '}
                  {t('send.vitalsAttach')}
                </label>
              </>
            )
          }
        </AsyncView>
      </fieldset>
      <Field
        id={`${id}-files`}
        type="file"
        multiple
        accept={ECONSULT_UPLOAD_TYPES.join(',')}
        label={t('send.files')}
        hint={t('send.filesHint')}
        disabled={busy}
        onChange={(e) => {
          pick(e.target.files);
          e.target.value = '';
        }}
      />
      {refused.length > 0 && (
        <div role="alert" className="error" data-testid="econsult-refused">
          {refused.map((r) => (
            <p key={r}>{r}</p>
          ))}
        </div>
      )}
      {files.length > 0 && (
        <ul className="plain" data-testid="econsult-files">
          {files.map((f) => (
            <li key={f.key} className="card">
              <strong>{f.file.name}</strong>{' '}
              <progress max={100} value={f.percent} aria-label={t('upload.label', { name: f.file.name })} />{' '}
              <span role="status">
                {f.state === 'sending'
                  ? t('upload.progress', { percent: f.percent })
                  : t(`upload.${f.state}`)}
              </span>
              {f.error && (
                <p role="alert" className="field-error">
                  {f.error}
                </p>
              )}
              {!busy && f.state !== 'done' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}
                >
                  {t('send.remove', { name: f.file.name })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <fieldset>
        <legend>{t('send.consentHeading')}</legend>
        <label htmlFor={`${id}-consent`}>
          <input
            id={`${id}-consent`}
            type="checkbox"
            checked={consent}
            disabled={locked}
            aria-invalid={errors.consent ? true : undefined}
            aria-describedby={`${id}-consent-error`}
            onChange={(e) => setConsent(e.target.checked)}
          />{' '}
          {t('send.consent')}
        </label>
        <p id={`${id}-consent-error`} className="field-error" aria-live="polite">
          {errors.consent}
        </p>
      </fieldset>
      {failure && (
        <p role="alert" className="error" data-testid="econsult-failure">
          {failure}
        </p>
      )}
      <p>
        <button type="submit" disabled={busy}>
          {busy ? t('send.sending') : t('send.submit')}
        </button>{' '}
        <button type="button" className="secondary" disabled={busy} onClick={onClose}>
          {t('send.cancel')}
        </button>
      </p>
    </form>
  );
}
