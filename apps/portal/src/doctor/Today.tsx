import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type FhirResource, fhir, humanName, resources } from '../api';
import { formatDate, formatTime, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { conceptText, type CodeableConcept } from './fhir-text';
import { Requests } from './Requests';
import { minutesWaiting, sortWaiting, type WaitingEntry } from './waiting';
import { addDays, startOfDay } from './week';
import './messages';

export const WAITING_POLL_MS = 5000;

interface Appointment extends FhirResource {
  status?: string;
  start?: string;
  end?: string;
  priority?: number;
  description?: string;
  reasonCode?: CodeableConcept[];
  participant?: { actor?: { reference?: string; display?: string } }[];
}

type Person = FhirResource & Parameters<typeof humanName>[0];

const patientRef = (a: Appointment): string | undefined =>
  a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));

/** The doctor's appointments on a Vietnam calendar day, with their patients. */
export async function loadDay(practitioner: string, day: string) {
  const bundle = await fhir.search<Appointment | Person>('Appointment', {
    actor: practitioner,
    date: [`ge${startOfDay(day)}`, `lt${startOfDay(addDays(day, 1))}`],
    _include: 'Appointment:patient',
    _sort: 'date',
    _count: '200',
  });
  const names = new Map<string, string>();
  for (const r of resources(bundle, true))
    if (r.resourceType === 'Patient' && r.id) names.set(`Patient/${r.id}`, humanName(r as Person));
  const appointments = resources(bundle).filter((r): r is Appointment => r.resourceType === 'Appointment');
  return { appointments, names };
}

/** Polls `GET /consultation/waiting` every 5 s while the page is open. */
function useWaiting(): { list?: WaitingEntry[]; error?: unknown; now: number } {
  const [state, setState] = useState<{ list?: WaitingEntry[]; error?: unknown; now: number }>({
    now: Date.now(),
  });
  useEffect(() => {
    let live = true;
    const poll = (): void => {
      api<WaitingEntry[]>('/consultation/waiting').then(
        (list) => live && setState({ list: sortWaiting(list), now: Date.now() }),
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
  const { list, error, now } = useWaiting();
  const byId = new Map(appointments.map((a) => [a.id, a]));
  return (
    <section className="card" aria-labelledby="doctor-waiting-heading">
      <h3 id="doctor-waiting-heading">{t('waiting.heading')}</h3>
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
            const urgent = w.priority > 0 && w.priority <= 2;
            return (
              <li key={`${w.appointmentId}-${w.participantId}`} className={urgent ? 'urgent' : undefined}>
                <strong>{who}</strong>
                {w.role !== 'patient' && ` (${t(`waiting.roles.${w.role}`)})`}
                <br />
                {t('today.priority')}:{' '}
                <span className={urgent ? `doctor-priority-${w.priority}` : undefined}>
                  {w.priority > 0 ? w.priority : t('today.notTriaged')}
                </span>
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
                <Link to={`/visit/${w.appointmentId}`}>{t('today.open')}</Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** `/doctor`: today's appointments (Vietnam day) and who is waiting now. */
export function Today({ claims }: { claims: Claims }) {
  const { t, i18n } = useTranslation('doctor');
  const lang = i18n.language;
  const day = localDay();
  const practitioner = claims.fhirUser ?? '';
  const state = useAsync(() => loadDay(practitioner, day), [practitioner, day]);

  return (
    <section aria-labelledby="doctor-today-heading">
      <h2 id="doctor-today-heading">{t('today.heading')}</h2>
      <p>{t('today.dayOf', { date: formatDate(`${day}`, lang) })}</p>
      {practitioner && <Requests practitioner={practitioner} onChange={state.reload} />}
      <div className="grid2">
        <div>
          <AsyncView state={state}>
            {({ appointments, names }) =>
              appointments.length === 0 ? (
                <p>{t('today.none')}</p>
              ) : (
                <div className="table-wrap">
                  <table data-testid="doctor-today">
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
                        const ref = patientRef(a);
                        const name =
                          (ref && names.get(ref)) ||
                          a.participant?.find((p) => p.actor?.reference === ref)?.actor?.display ||
                          t('today.unknownPatient');
                        const time = `${formatTime(a.start, lang)}–${formatTime(a.end, lang)}`;
                        const reason = conceptText(a.reasonCode?.[0]) || a.description || '';
                        return (
                          <tr key={a.id}>
                            <td>{time}</td>
                            <td>{name}</td>
                            <td>{reason}</td>
                            <td>{a.priority && a.priority > 0 ? a.priority : t('today.notTriaged')}</td>
                            <td>{t(`status.${a.status ?? 'booked'}`, { defaultValue: a.status })}</td>
                            <td>
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
    </section>
  );
}
