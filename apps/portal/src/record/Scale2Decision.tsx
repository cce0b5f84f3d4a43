import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fhir, humanName, resources } from '../api';
import { formatDate } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { DateField } from '../shell/DateField';
import { activeDecision, endedDecision, type GoalLike, lastEnded, newDecision, vietnamToday } from './scale2';
import './scale2-messages';

/**
 * The patient's NEWS2 SpO₂ Scale 2 decision: shown to everyone who opens it (station staff read
 * it next to the vitals form); a practitioner (`canEdit`) sets it (name, date, reason) and ends it.
 */
export function Scale2Decision({
  patientId,
  canEdit,
  practitioner,
}: {
  patientId: string;
  canEdit: boolean;
  practitioner?: string;
}) {
  const { t, i18n } = useTranslation('scale2');
  const [tick, setTick] = useState(0);
  const state = useAsync(async () => {
    const goals = resources(await fhir.search<GoalLike>('Goal', { patient: `Patient/${patientId}` }));
    let name = '';
    if (canEdit && practitioner?.startsWith('Practitioner/')) {
      const p = await fhir
        .read<Parameters<typeof humanName>[0] & { resourceType: string }>(
          'Practitioner',
          practitioner.slice(13),
        )
        .catch(() => undefined);
      name = humanName(p);
    }
    return { goals, name };
  }, [patientId, tick]);
  // A record the user may not open is explained by the record view; say nothing here.
  if (state.error instanceof ApiError && (state.error.status === 403 || state.error.status === 404))
    return null;
  if (state.error)
    return (
      <section aria-labelledby="scale2-h" className="card" data-testid="scale2">
        <h2 id="scale2-h">{t('heading')}</h2>
        <p role="status">{t('unavailable')}</p>
        <button type="button" className="secondary" onClick={state.reload}>
          {t('retry', { ns: 'common' })}
        </button>
      </section>
    );
  return (
    <section aria-labelledby="scale2-h" className="card" data-testid="scale2">
      <h2 id="scale2-h">{t('heading')}</h2>
      <AsyncView state={state}>
        {({ goals, name }) => {
          const today = vietnamToday();
          const active = activeDecision(goals, today);
          const ended = lastEnded(goals);
          return (
            <>
              {active ? (
                <div className="scale2-active" role="status">
                  <p>
                    <strong>
                      {t('active', {
                        who: active.expressedBy?.display || active.expressedBy?.reference,
                        date: formatDate(active.startDate, i18n.language),
                        reason: active.addresses?.map((a) => a.display ?? a.reference).join('; '),
                      })}
                    </strong>
                  </p>
                  <p>{t('activeNote')}</p>
                </div>
              ) : (
                <p role="status">{t('none')}</p>
              )}
              {!active && ended && (
                <p>
                  {t('ended', {
                    date: formatDate(ended.statusDate, i18n.language),
                    reason: ended.statusReason ?? '',
                  })}
                </p>
              )}
              {!canEdit && <p className="news2-muted">{t('readOnly')}</p>}
              {canEdit && practitioner && (
                <DecisionForm
                  key={active?.id ?? 'new'}
                  patientId={patientId}
                  practitioner={practitioner}
                  defaultName={name}
                  active={active}
                  onSaved={() => setTick((n) => n + 1)}
                />
              )}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}

function DecisionForm({
  patientId,
  practitioner,
  defaultName,
  active,
  onSaved,
}: {
  patientId: string;
  practitioner: string;
  defaultName: string;
  active?: GoalLike;
  onSaved: () => void;
}) {
  const { t } = useTranslation('scale2');
  const errorText = useErrorText();
  const today = vietnamToday();
  const [name, setName] = useState(defaultName);
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !date || !reason.trim()) return setMessage({ ok: false, text: t('required') });
    if (date > today) return setMessage({ ok: false, text: t('future') });
    setSaving(true);
    setMessage(undefined);
    try {
      if (active) await fhir.update(endedDecision(active, { practitioner, name, date, reason }));
      else await fhir.create(newDecision({ patientId, practitioner, name, startDate: date, reason }));
      setMessage({ ok: true, text: t('saved') });
      onSaved();
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    } finally {
      setSaving(false);
    }
  };
  const id = active ? 'scale2-end' : 'scale2-set';
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{active ? t('endHeading') : t('setHeading')}</h3>
      <div className="grid2">
        <p>
          <label htmlFor={`${id}-name`}>{t('name')}</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="name"
          />
        </p>
        <p>
          <label htmlFor={`${id}-date`}>{active ? t('endDate') : t('startDate')}</label>
          <DateField id={`${id}-date`} value={date} max={today} onChange={setDate} />
        </p>
      </div>
      <p>
        <label htmlFor={`${id}-reason`}>{active ? t('endReason') : t('reason')}</label>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </p>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      )}
      <p>
        <button type="submit" disabled={saving} className={active ? 'secondary' : undefined}>
          {saving ? t('saving') : active ? t('end') : t('set')}
        </button>
      </p>
    </form>
  );
}
