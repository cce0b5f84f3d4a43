import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { formatDate, formatTime, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { conceptText } from './fhir-text';
import { Requests } from './Requests';
import { Priority } from './Priority';
import { Upcoming } from './Upcoming';
import { minutesWaiting, priorityLevel, sortWaiting, waitingPriority, type WaitingEntry } from './waiting';
import { type Appointment, loadDay, patientName, patientRef } from './schedule';
import './messages';

export const WAITING_POLL_MS = 5000;

/** Polls `GET /consultation/waiting` every 5 s while the page is open. */
function useWaiting(): { list?: WaitingEntry[]; error?: unknown; now: number } {
  const [state, setState] = useState<{ list?: WaitingEntry[]; error?: unknown; now: number }>({
    now: Date.now(),
  });
  useEffect(() => {
    let live = true;
    const poll = (): void => {
      api<WaitingEntry[]>('/consultation/waiting').then(
        (list) => live && setState({ list, now: Date.now() }),
        (error: unknown) => live && setState((s) => ({ ...s, error, now: Date.now() })),
      );
    };
    poll();
    const timer = setInterval(poll, WAITING_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return state;
}

function WaitingRoom({ names, appointments }: { names: Map<string, string>; appointments: Appointment[] }) {
  const { t, i18n } = useTranslation('doctor');
  const errorText = useErrorText();
  const { list: unsorted, error, now } = useWaiting();
  const byId = new Map(appointments.map((a) => [a.id, a]));
  // The priority shown and sorted on is the appointment's, as in the schedule's table.
  const priorityOf = (w: WaitingEntry): number | undefined => waitingPriority(w, byId.get(w.appointmentId));
  const list = unsorted && sortWaiting(unsorted, priorityOf);
  return (
    <section className="card" aria-labelledby="doctor-waiting-heading">
      <h2 id="doctor-waiting-heading">{t('waiting.heading')}</h2>
      <p className="doctor-hint">{t('waiting.note')}</p>
      {error !== undefined && (
        <p role="alert" className="error">
          {t('waiting.failed', { error: errorText(error) })}
        </p>
      )}
      {list === undefined && error === undefined && <p role="status">{t('loading', { ns: 'common' })}</p>}
      {list?.length === 0 && <p>{t('waiting.empty')}</p>}
      {list && list.length > 0 && (
        <ul className="plain doctor-waiting" data-testid="doctor-waiting" aria-live="polite">
          {list.map((w) => {
            const appt = byId.get(w.appointmentId);
            const who =
              names.get(w.actor) ??
              (appt ? names.get(patientRef(appt) ?? '') : undefined) ??
              t(`waiting.roles.${w.role}`);
            const urgent = priorityLevel(priorityOf(w)).key === 'urgent';
            return (
              <li key={`${w.appointmentId}-${w.participantId}`} className={urgent ? 'urgent' : undefined}>
                <strong>{who}</strong>
                {w.role !== 'patient' && ` (${t(`waiting.roles.${w.role}`)})`}
                <br />
                {t('today.priority')}: <Priority value={priorityOf(w)} />
                {w.reason && (
                  <>
                    {' · '}
                    {t('today.reason')}: {w.reason}
                  </>
                )}
                <br />
                {t('waiting.since', {
                  time: formatTime(w.since, i18n.language),
                  minutes: minutesWaiting(w.since, now),
                })}
                {appt?.start && (
                  <>
                    {' · '}
                    {t('waiting.appointmentAt', { time: formatTime(appt.start, i18n.language) })}
                  </>
                )}{' '}
                <Link
                  to={`/visit/${w.appointmentId}`}
                  aria-label={t('today.openFor', {
                    name: who,
                    time: formatTime(appt?.start ?? w.since, i18n.language),
                  })}
                >
                  {t('today.open')}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * `/doctor`: requests waiting for the doctor, today's appointments (Vietnam day), who is waiting
 * now, and the next 7 days.
 */
export function Today({ claims }: { claims: Claims }) {
  const { t, i18n } = useTranslation('doctor');
  const lang = i18n.language;
  const day = localDay();
  const practitioner = claims.fhirUser ?? '';
  const state = useAsync(() => loadDay(practitioner, day), [practitioner, day]);
  // A confirmed or declined request changes today's table and the days ahead.
  const [reloads, setReloads] = useState(0);
  const changed = (): void => {
    state.reload();
    setReloads((n) => n + 1);
  };

  return (
    <section aria-labelledby="doctor-today-heading">
      <h1 id="doctor-today-heading">{t('today.heading')}</h1>
      <p>{t('today.dayOf', { date: formatDate(`${day}`, lang) })}</p>
      {practitioner && <Requests practitioner={practitioner} onChange={changed} />}
      <div className="grid2">
        <div>
          <AsyncView state={state}>
            {({ appointments, names }) =>
              appointments.length === 0 ? (
                <p>{t('today.none')}</p>
              ) : (
                <div className="doctor-table-wrap">
                  <table data-testid="doctor-today" className="doctor-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('today.time')}</th>
                        <th scope="col">{t('today.patient')}</th>
                        <th scope="col">{t('today.reason')}</th>
                        <th scope="col">{t('today.priority')}</th>
                        <th scope="col">{t('today.status')}</th>
                        <th scope="col">{t('today.visit')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {appointments.map((a) => {
                        const name = patientName(a, names) || t('today.unknownPatient');
                        const time = `${formatTime(a.start, lang)}–${formatTime(a.end, lang)}`;
                        const reason = conceptText(a.reasonCode?.[0]) || a.description || '';
                        return (
                          <tr key={a.id}>
                            <td data-label={t('today.time')}>{time}</td>
                            <td data-label={t('today.patient')}>{name}</td>
                            <td data-label={t('today.reason')}>{reason}</td>
                            <td data-label={t('today.priority')}>
                              <Priority value={a.priority} />
                            </td>
                            <td data-label={t('today.status')}>
                              {t(`status.${a.status ?? 'booked'}`, { defaultValue: a.status })}
                            </td>
                            <td data-label={t('today.visit')}>
                              {['booked', 'arrived', 'checked-in'].includes(a.status ?? '') && (
                                <Link
                                  to={`/visit/${a.id ?? ''}`}
                                  aria-label={t('today.openFor', { name, time: formatTime(a.start, lang) })}
                                >
                                  {t('today.open')}
                                </Link>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )
            }
          </AsyncView>
          <button type="button" className="secondary" onClick={state.reload}>
            {t('today.refresh')}
          </button>
        </div>
        <WaitingRoom names={state.data?.names ?? new Map()} appointments={state.data?.appointments ?? []} />
      </div>
      {practitioner && <Upcoming practitioner={practitioner} today={day} reloadKey={reloads} />}
    </section>
  );
}
