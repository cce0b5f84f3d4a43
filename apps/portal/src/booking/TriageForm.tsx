/**
 * "Pre-visit symptom check" (libs/care/src/triage): the server's triage Questionnaire rendered
 * generically in the reader's language; the answers are POSTed as a QuestionnaireResponse, the
 * server computes the urgency in the same transaction (RiskAssessment/triage-<id>), and the
 * result is shown with its reasons and advice. An emergency says "call 115" and offers no booking.
 * What the record knows is not asked: the age group comes from Patient.birthDate (shown, locked,
 * still answered in the response — the server needs it). A "follow-up, no new symptom" visit skips
 * the new-symptom questions but still answers fever and every danger sign.
 */
import {
  type CSSProperties,
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName } from '../api';
import { formatDate, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { session } from '../shell/session-store';
import './messages';
import {
  AGE_ITEM,
  ageGroupOf,
  assessmentIdOf,
  buildResponse,
  type FieldProblem,
  FOLLOW_UP_SKIPS,
  type FormValue,
  type FormValues,
  isEnabled,
  itemText,
  localized,
  optionsOf,
  type Questionnaire,
  type QuestionnaireItem,
  type RiskAssessment,
  TRIAGE_QUESTIONNAIRE_ID,
  type TriageLevel,
  type TriageResult,
  triageResultOf,
  validate,
  withoutItems,
} from './triage-logic';

/** More options than this become a select instead of radio buttons. */
const MAX_RADIOS = 6;

const inline: CSSProperties = { display: 'inline-block', width: 'auto', minHeight: 0, margin: 0 };
const optionLabel: CSSProperties = {
  display: 'flex',
  gap: 8,
  alignItems: 'center',
  fontWeight: 400,
  margin: '4px 0',
  minHeight: 32,
};
const choiceRow: CSSProperties = { display: 'flex', flexWrap: 'wrap', columnGap: 20 };
const fieldset: CSSProperties = {
  border: '1px solid #e5e7eb',
  borderRadius: 6,
  margin: '12px 0',
  padding: '4px 12px 8px',
  minWidth: 0,
};

const LEVEL_STYLE: Record<TriageLevel, CSSProperties> = {
  emergency: {
    background: '#fdecea',
    border: '3px solid #b3261e',
    color: '#7a1c16',
    padding: '12px 16px',
    borderRadius: 8,
  },
  urgent: {
    background: '#fff4e5',
    border: '2px solid #b45309',
    color: '#5c2d00',
    padding: '8px 12px',
    borderRadius: 6,
  },
  routine: {
    background: '#e8f5e9',
    border: '1px solid #2e7d32',
    color: '#1b4d1f',
    padding: '8px 12px',
    borderRadius: 6,
  },
};

export function TriageForm({
  patientId,
  onDone,
}: {
  patientId: string;
  onDone?: (result: TriageDone) => void;
}) {
  const { t } = useTranslation('booking');
  const questionnaire = useAsync(
    () =>
      Promise.all([
        fhir.read<Questionnaire>('Questionnaire', TRIAGE_QUESTIONNAIRE_ID),
        // The patient's birth date answers the age question; without it the question is asked.
        fhir
          .read<{ birthDate?: string; name?: { text?: string }[] }>('Patient', patientId)
          .catch(() => undefined),
      ]),
    [patientId],
  );
  const ids = useId();
  return (
    <section aria-labelledby={`${ids}-title`} className="card">
      <h2 id={`${ids}-title`}>{t('triage.title')}</h2>
      <AsyncView state={questionnaire}>
        {([q, patient]) => (
          <TriageQuestions
            q={q}
            patientId={patientId}
            onDone={onDone}
            birthDate={patient?.birthDate}
            patientName={humanName(patient ?? {})}
          />
        )}
      </AsyncView>
    </section>
  );
}

/**
 * The outcome of the symptom check: the server's level and QuestionnaireResponse, or (station,
 * link down) `queued`: the outbox item holding the answers, assessed by the server once sent.
 */
export type TriageDone = { level: TriageLevel; qr: string } | { level: 'queued'; qr: ''; queued: string };

/** The Questionnaire's own "danger signs" section (its yes answers are what the nurse is told to act on). */
const DANGER_GROUP = 'red-flags';

/** Whether any question of the Questionnaire's danger-sign section is answered yes. */
export function dangerSignAnswered(q: Questionnaire, values: FormValues): boolean {
  const inGroup = (items: QuestionnaireItem[] | undefined, inside: boolean): boolean =>
    (items ?? []).some((i) =>
      i.type === 'group'
        ? inGroup(i.item, inside || i.linkId === DANGER_GROUP)
        : inside && i.type === 'boolean' && values[i.linkId] === true,
    );
  return inGroup(q.item, false);
}

function TriageQuestions({
  q: full,
  patientId,
  onDone,
  birthDate,
  patientName,
}: {
  q: Questionnaire;
  patientId: string;
  onDone?: (result: TriageDone) => void;
  birthDate?: string;
  patientName?: string;
}) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  const errorText = useErrorText();
  const ids = useId();
  const ageOptions = optionsOf(
    (full.item ?? []).find((i) => i.linkId === AGE_ITEM) ?? { linkId: AGE_ITEM, type: 'choice' },
    lang,
  );
  const knownAge = ageGroupOf(birthDate, localDay());
  const lockedAge = ageOptions.some((o) => o.code === knownAge) ? knownAge : undefined;
  const initial = (): FormValues => (lockedAge ? { [AGE_ITEM]: lockedAge } : {});
  const [values, setValues] = useState<FormValues>(initial);
  /** A new problem, or a follow-up visit with no new symptom (its questions are left out). */
  const [visit, setVisit] = useState<'new' | 'follow-up'>('new');
  const q = visit === 'follow-up' ? withoutItems(full, FOLLOW_UP_SKIPS) : full;
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const [posted, setPosted] = useState<string>();
  /** The server's RiskAssessment (kept raw so that a language switch re-reads its texts). */
  const [assessment, setAssessment] = useState<{ ra: RiskAssessment; qr: string }>();
  const resultRef = useRef<HTMLHeadingElement>(null);
  /** Station, link down: the answers kept in the outbox (and whether a danger sign was answered yes). */
  const [queued, setQueued] = useState<{ id: string; danger: boolean }>();

  const problems = tried ? validate(q, values) : new Map<string, FieldProblem>();
  const fieldId = (linkId: string) => `${ids}-${linkId}`;

  const result: TriageResult | undefined = assessment && triageResultOf(assessment.ra, lang);
  useEffect(() => {
    if (assessment || queued) resultRef.current?.focus();
  }, [assessment, queued]);

  const set = (linkId: string, v: FormValue | undefined) => setValues((s) => ({ ...s, [linkId]: v }));

  /** Reads the server's RiskAssessment of a posted response; keeps the response if this fails. */
  const assess = async (qrId: string) => {
    setSending(true);
    setError(undefined);
    try {
      const ra = await fhir.read<RiskAssessment>('RiskAssessment', await assessmentIdOf(qrId));
      const r = triageResultOf(ra, lang);
      if (!r) throw new Error(t('triage.noResult'));
      setAssessment({ ra, qr: qrId });
      onDone?.({ level: r.level, qr: qrId });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    setTried(true);
    const found = validate(q, values);
    if (found.size > 0) {
      const first = [...found.keys()][0] as string;
      (document.getElementById(fieldId(first)) ?? document.getElementById(`${fieldId(first)}-0`))?.focus();
      return;
    }
    if (posted) return void assess(posted);
    setSending(true);
    setError(undefined);
    try {
      const fhirUser = session.claims?.fhirUser;
      const author =
        fhirUser && /^(Practitioner|PractitionerRole|Patient)\//.test(fhirUser) ? fhirUser : undefined;
      if (session.claims?.role === 'clinic-staff' && navigator.onLine === false) {
        // The station with the link down: the answers wait in the outbox (docs/offline-station.md).
        const { queueTriage } = await import('../station/offline/queue');
        const response = buildResponse(q, values, patientId, { author }) as unknown as Parameters<
          typeof queueTriage
        >[0];
        const id = await queueTriage(response, { id: patientId }, patientName || `Patient/${patientId}`);
        const danger = dangerSignAnswered(q, values);
        setQueued({ id, danger });
        setSending(false);
        if (!danger) onDone?.({ level: 'queued', qr: '', queued: id });
        return;
      }
      const created = await fhir.create<{ id: string }>(
        buildResponse(q, values, patientId, { author }) as unknown as Parameters<typeof fhir.create>[0],
      );
      setPosted(created.id);
      await assess(created.id);
    } catch (err) {
      setError(err);
      setSending(false);
    }
  };

  const again = () => {
    setAssessment(undefined);
    setPosted(undefined);
    setTried(false);
    setValues(initial());
  };

  if (queued)
    return (
      <div data-testid="triage-queued">
        <h3 ref={resultRef} tabIndex={-1}>
          {t('triage.queuedTitle')}
        </h3>
        {queued.danger && (
          <div role="alert" style={LEVEL_STYLE.emergency}>
            <p style={{ fontSize: '1.3em', fontWeight: 700, margin: '0 0 8px' }}>
              {t('triage.queuedDanger')}
            </p>
            <p style={{ margin: 0 }}>
              <a href="tel:115" style={{ color: '#7a1c16', fontWeight: 700 }}>
                {t('triage.dial115')}
              </a>
            </p>
          </div>
        )}
        <p role="status" className="pending">
          {t('triage.queued')}
        </p>
        {!queued.danger && <p>{t('triage.queuedDangerReminder')}</p>}
      </div>
    );

  if (result) {
    const r = result;
    return (
      <div>
        <h3 id={`${ids}-result`} ref={resultRef} tabIndex={-1}>
          {t('triage.resultTitle', { level: t(`triage.level.${r.level}`) })}
        </h3>
        {r.level === 'emergency' ? (
          <div role="alert" style={LEVEL_STYLE.emergency}>
            <p style={{ fontSize: '1.3em', fontWeight: 700, margin: '0 0 8px' }}>{t('triage.call115')}</p>
            <p style={{ margin: '0 0 8px' }}>
              <a href="tel:115" style={{ color: '#7a1c16', fontWeight: 700 }}>
                {t('triage.dial115')}
              </a>
            </p>
            <p style={{ margin: 0 }}>{t('triage.noRemote')}</p>
          </div>
        ) : (
          <p role="status" style={LEVEL_STYLE[r.level]}>
            {t(`triage.levelNote.${r.level}`)}
          </p>
        )}
        <h4>{t('triage.reasons')}</h4>
        {r.reasons.length > 0 ? (
          <ul>
            {r.reasons.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        ) : (
          <p>{t('triage.noReasons')}</p>
        )}
        {r.advice && (
          <>
            <h4>{t('triage.advice')}</h4>
            <p>{r.advice}</p>
          </>
        )}
        {r.level === 'emergency' && (
          <p>
            <button type="button" className="secondary" onClick={again}>
              {t('triage.again')}
            </button>
          </p>
        )}
      </div>
    );
  }

  const problemText = (linkId: string) => {
    const p = problems.get(linkId);
    return p === 'number' ? t('triage.notNumber') : p === 'required' ? t('triage.required') : undefined;
  };

  const errorLine = (linkId: string) => {
    const text = problemText(linkId);
    return text ? (
      <p id={`${fieldId(linkId)}-error`} className="field-error" role="alert">
        {text}
      </p>
    ) : null;
  };

  const mark = (item: QuestionnaireItem) =>
    item.required ? (
      <span aria-hidden="true" style={{ color: '#b3261e' }}>
        {' '}
        *
      </span>
    ) : null;

  const render = (item: QuestionnaireItem): ReactNode => {
    if (!isEnabled(item, values, q)) return null;
    const text = itemText(item, lang);
    if (item.linkId === AGE_ITEM && lockedAge)
      return (
        <div key={item.linkId} id={fieldId(item.linkId)} style={{ margin: '12px 0' }}>
          <p style={{ fontWeight: 500, margin: 0 }}>{text}</p>
          <p style={{ margin: '2px 0 0' }}>
            <strong>{ageOptions.find((o) => o.code === lockedAge)?.label}</strong>{' '}
            <small>{t('triage.ageFromRecord', { date: formatDate(birthDate, lang) })}</small>
          </p>
        </div>
      );
    const id = fieldId(item.linkId);
    const invalid = problems.has(item.linkId) || undefined;
    const describedBy = invalid ? `${id}-error` : undefined;
    const v = values[item.linkId];
    /** Radio buttons or checkboxes for the item, in one fieldset with its legend and error. */
    const group = (
      kind: 'radio' | 'checkbox',
      options: { key: string; label: string; checked: boolean; onChange: (checked: boolean) => void }[],
      hint?: ReactNode,
    ) => (
      <fieldset
        key={item.linkId}
        style={{ ...fieldset, border: 0, padding: 0 }}
        aria-describedby={describedBy}
      >
        <legend style={{ fontWeight: 500 }}>
          {text}
          {mark(item)}
          {hint}
        </legend>
        <div style={choiceRow}>
          {options.map((o, i) => (
            <label key={o.key} style={optionLabel}>
              <input
                id={`${id}-${i}`}
                type={kind}
                name={kind === 'radio' ? id : undefined}
                checked={o.checked}
                required={kind === 'radio' ? item.required : undefined}
                aria-invalid={invalid}
                onChange={(e) => o.onChange(e.target.checked)}
                style={inline}
              />
              {o.label}
            </label>
          ))}
        </div>
        {errorLine(item.linkId)}
      </fieldset>
    );
    switch (item.type) {
      case 'display':
        return <p key={item.linkId}>{text}</p>;
      case 'group':
        return (
          <fieldset key={item.linkId} style={fieldset}>
            <legend style={{ fontWeight: 700, padding: '0 4px' }}>{text}</legend>
            {(item.item ?? []).map(render)}
          </fieldset>
        );
      case 'boolean':
        return group(
          'radio',
          [true, false].map((b) => ({
            key: String(b),
            label: b ? t('triage.yes') : t('triage.no'),
            checked: v === b,
            onChange: () => set(item.linkId, b),
          })),
        );
      case 'choice':
      case 'open-choice': {
        const options = optionsOf(item, lang);
        if (item.repeats) {
          const chosen = Array.isArray(v) ? v : [];
          return group(
            'checkbox',
            options.map((o) => ({
              key: o.code,
              label: o.label,
              checked: chosen.includes(o.code),
              onChange: (checked) =>
                set(item.linkId, checked ? [...chosen, o.code] : chosen.filter((c) => c !== o.code)),
            })),
            <>
              {' '}
              <small style={{ fontWeight: 400 }}>{t('triage.several')}</small>
            </>,
          );
        }
        if (options.length > MAX_RADIOS)
          return (
            <div key={item.linkId}>
              <label htmlFor={id}>
                {text}
                {mark(item)}
              </label>
              <select
                id={id}
                value={typeof v === 'string' ? v : ''}
                required={item.required}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => set(item.linkId, e.target.value || undefined)}
              >
                <option value="">{t('triage.choose')}</option>
                {options.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.label}
                  </option>
                ))}
              </select>
              {errorLine(item.linkId)}
            </div>
          );
        return group(
          'radio',
          options.map((o) => ({
            key: o.code,
            label: o.label,
            checked: v === o.code,
            onChange: () => set(item.linkId, o.code),
          })),
        );
      }
      case 'decimal':
      case 'integer':
      case 'string':
      case 'text':
      default: {
        const numeric = item.type === 'decimal' || item.type === 'integer';
        const common = {
          id,
          value: typeof v === 'string' ? v : '',
          required: item.required,
          'aria-invalid': invalid,
          'aria-describedby': describedBy,
        };
        return (
          <div key={item.linkId}>
            <label htmlFor={id}>
              {text}
              {mark(item)}
            </label>
            {item.type === 'text' ? (
              <textarea {...common} rows={3} onChange={(e) => set(item.linkId, e.target.value)} />
            ) : (
              <input
                {...common}
                type="text"
                inputMode={numeric ? (item.type === 'integer' ? 'numeric' : 'decimal') : undefined}
                autoComplete="off"
                style={numeric ? { maxWidth: 160 } : undefined}
                onChange={(e) => set(item.linkId, e.target.value)}
              />
            )}
            {errorLine(item.linkId)}
          </div>
        );
      }
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <p>{t('triage.intro')}</p>
      <p>
        <small>{t('triage.requiredNote')}</small>
      </p>
      {q.title && <p className="visually-hidden">{localized(q.title, q._title, lang)}</p>}
      <fieldset style={{ ...fieldset, border: 0, padding: 0 }}>
        <legend style={{ fontWeight: 500 }}>{t('triage.visitKind')}</legend>
        <div style={choiceRow}>
          {(['new', 'follow-up'] as const).map((k) => (
            <label key={k} style={optionLabel}>
              <input
                type="radio"
                name={`${ids}-visit`}
                checked={visit === k}
                onChange={() => setVisit(k)}
                style={inline}
              />
              {t(k === 'new' ? 'triage.visitNew' : 'triage.visitFollowUp')}
            </label>
          ))}
        </div>
        {visit === 'follow-up' && (
          <p style={{ margin: '4px 0 0', fontSize: '0.9em', color: '#4b5563' }}>{t('triage.followUpNote')}</p>
        )}
      </fieldset>
      {(q.item ?? []).map(render)}
      {tried && problems.size > 0 && (
        <p className="field-error" role="alert">
          {t('triage.fix', { n: problems.size })}
        </p>
      )}
      {error !== undefined && (
        <div role="alert" className="error">
          <p>{errorText(error)}</p>
        </div>
      )}
      <p>
        <button type="submit" disabled={sending}>
          {sending ? t('triage.sending') : error !== undefined ? t('triage.retry') : t('triage.submit')}
        </button>
      </p>
    </form>
  );
}
