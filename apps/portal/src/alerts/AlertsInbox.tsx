import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { acknowledge, listAlerts, type News2AlertView, overrideBooking, vnTime } from './alerts-api';
import './messages';

/**
 * The NEWS2 alerts sent to the caller (docs/care.md § The alert's workflow): the station's and the
 * doctor's inbox. Open alerts first; a doctor acknowledges one (recorded: who, when) and may allow
 * a video booking for the patient (recorded: who, when, why). Station staff see who was called and
 * whether a doctor has taken it, but cannot close it.
 */
export function AlertsInbox({ claims }: { claims: Claims }) {
  const { t } = useTranslation('alerts');
  const ids = useId();
  const [all, setAll] = useState(false);
  const state = useAsync(() => listAlerts(all), [all]);
  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('inbox.heading')}</h1>
      <div role="group" aria-label={t('inbox.filter')} style={{ display: 'flex', gap: 8, marginBottom: 12 }}>
        <button
          type="button"
          aria-pressed={!all}
          className={all ? 'secondary' : undefined}
          onClick={() => setAll(false)}
        >
          {t('inbox.open')}
        </button>
        <button
          type="button"
          aria-pressed={all}
          className={all ? undefined : 'secondary'}
          onClick={() => setAll(true)}
        >
          {t('inbox.all')}
        </button>
      </div>
      <div aria-busy={state.loading}>
        <AsyncView state={state}>
          {(alerts) =>
            alerts.length === 0 ? (
              <p role="status">{t(all ? 'inbox.noneAll' : 'inbox.none')}</p>
            ) : (
              <>
                <p role="status">{t('inbox.count', { n: alerts.length })}</p>
                <ul style={{ listStyle: 'none', padding: 0 }}>
                  {alerts.map((a) => (
                    <li key={a.id}>
                      <AlertCard alert={a} claims={claims} onChange={state.reload} />
                    </li>
                  ))}
                </ul>
              </>
            )
          }
        </AsyncView>
      </div>
    </section>
  );
}

function AlertCard({
  alert,
  claims,
  onChange,
}: {
  alert: News2AlertView;
  claims: Claims;
  onChange: () => void;
}) {
  const { t } = useTranslation('alerts');
  const errorText = useErrorText();
  const ids = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [reason, setReason] = useState('');
  const doctor = claims.role === 'practitioner';
  const act = async (work: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      onChange();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const name = alert.patient.name ?? t('inbox.noName');
  // Named in words, never by reference, even when the server found no name.
  const nameOf = (ref: string): string =>
    alert.names?.[ref] ??
    (ref.startsWith('Practitioner/') ? t('roster.unnamedDoctor') : t('roster.unnamedFacility'));
  const routing =
    alert.onCall.length > 0
      ? t('inbox.onCall', { names: alert.onCall.map(nameOf).join(', ') })
      : alert.hospital
        ? t('inbox.noOnCall')
        : t('inbox.noOnCallNoHospital');
  return (
    <article
      className={`news2 news2-${alert.response}`}
      aria-labelledby={`${ids}-h`}
      data-testid="news2-alert"
      style={{ marginBottom: 12 }}
    >
      <p className="news2-head">
        <strong id={`${ids}-h`}>
          {claims.role === 'clinic-staff' ? (
            <Link to={`/station/patient/${alert.patientId}`} style={{ color: 'inherit' }}>
              {name}
            </Link>
          ) : (
            name
          )}
          {' · '}
          {alert.score !== undefined ? t('inbox.score', { score: alert.score }) : t('inbox.incomplete')}
        </strong>
        <span className="news2-title">{t(`inbox.response.${alert.response}`)}</span>
      </p>
      <p>{t('inbox.raised', { time: vnTime(alert.raisedAt) })}</p>
      <p>{routing}</p>
      {alert.escalatedAt && <p>{t('inbox.escalated', { time: vnTime(alert.escalatedAt) })}</p>}
      {alert.status === 'acknowledged' ? (
        <p role="status">
          {t('inbox.acknowledged', {
            by: alert.acknowledgedBy ? nameOf(alert.acknowledgedBy) : '',
            time: alert.acknowledgedAt ? vnTime(alert.acknowledgedAt) : '',
          })}
        </p>
      ) : (
        <p>{t('inbox.waiting')}</p>
      )}
      {alert.override && <p>{t('inbox.overrideDone', { reason: alert.override.reason })}</p>}
      {doctor && alert.status === 'open' && (
        <button
          type="button"
          disabled={busy}
          aria-label={`${t('inbox.acknowledge')}: ${name}`}
          onClick={() => void act(() => acknowledge(alert.id))}
        >
          {t('inbox.acknowledge')}
        </button>
      )}
      {doctor && !alert.override && (
        <details style={{ marginTop: 8 }}>
          <summary>{t('inbox.override')}</summary>
          <form
            className="card"
            style={{ marginTop: 8 }}
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => overrideBooking(alert.id, reason));
            }}
          >
            <label htmlFor={`${ids}-r`}>{t('inbox.overrideReason')}</label>
            <input
              id={`${ids}-r`}
              value={reason}
              minLength={5}
              maxLength={500}
              required
              onChange={(e) => setReason(e.target.value)}
            />
            <button type="submit" disabled={busy || reason.trim().length < 5}>
              {t('inbox.overrideSave')}
            </button>
          </form>
        </details>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </article>
  );
}
