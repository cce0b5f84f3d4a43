import { useTranslation } from 'react-i18next';
import { formatDate, formatTime, localDay } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { conceptText } from './fhir-text';
import { Priority } from './Priority';
import { type Appointment, loadDay, patientName } from './schedule';
import { addDays, isoWeekday } from './week';
import './messages';

export const UPCOMING_DAYS = 7;

/** Not shown among the days ahead: they hold no time. */
const GONE = new Set(['cancelled', 'entered-in-error', 'noshow']);

/** The appointments by Vietnam calendar day, in time order; only days that have some. */
export function groupByDay(
  appointments: readonly Appointment[],
): { day: string; appointments: Appointment[] }[] {
  const days = new Map<string, Appointment[]>();
  for (const a of appointments) {
    if (!a.start || Number.isNaN(Date.parse(a.start)) || GONE.has(a.status ?? '')) continue;
    const day = localDay(a.start);
    days.set(day, [...(days.get(day) ?? []), a]);
  }
  return [...days.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([day, list]) => ({
      day,
      appointments: list.sort((a, b) => Date.parse(a.start ?? '') - Date.parse(b.start ?? '')),
    }));
}

/** "The next 7 days": the doctor's appointments after today, a heading per day. */
export function Upcoming({
  practitioner,
  today,
  reloadKey = 0,
}: {
  practitioner: string;
  today: string;
  reloadKey?: number;
}) {
  const { t, i18n } = useTranslation('doctor');
  const lang = i18n.language;
  const from = addDays(today, 1);
  const state = useAsync(() => loadDay(practitioner, from, UPCOMING_DAYS), [practitioner, from, reloadKey]);
  return (
    <section className="card" aria-labelledby="doctor-upcoming-heading">
      <h2 id="doctor-upcoming-heading">{t('upcoming.heading', { count: UPCOMING_DAYS })}</h2>
      <p className="doctor-hint">
        {t('upcoming.range', {
          from: formatDate(from, lang),
          to: formatDate(addDays(from, UPCOMING_DAYS - 1), lang),
        })}
      </p>
      <AsyncView state={state}>
        {({ appointments, names }) => {
          const days = groupByDay(appointments);
          if (days.length === 0) return <p>{t('upcoming.none')}</p>;
          return (
            <div data-testid="doctor-upcoming">
              {days.map(({ day, appointments: list }) => {
                const heading = `${t(`weekdays.${isoWeekday(day)}`)} ${formatDate(day, lang)}`;
                return (
                  <section
                    key={day}
                    className="doctor-upcoming-day"
                    aria-labelledby={`doctor-upcoming-${day}`}
                  >
                    <h3 id={`doctor-upcoming-${day}`}>
                      {heading}{' '}
                      <span className="doctor-muted">({t('upcoming.count', { count: list.length })})</span>
                    </h3>
                    <ul className="plain">
                      {list.map((a) => {
                        const reason = conceptText(a.reasonCode?.[0]) || a.description || '';
                        return (
                          <li key={a.id}>
                            <strong>
                              {formatTime(a.start, lang)}–{formatTime(a.end, lang)}
                            </strong>{' '}
                            {patientName(a, names) || t('today.unknownPatient')}
                            <br />
                            <span className="doctor-muted">
                              {reason && (
                                <>
                                  {reason}
                                  {' · '}
                                </>
                              )}
                              {t(`status.${a.status ?? 'booked'}`, { defaultValue: a.status })}
                              {' · '}
                              {t('today.priority')}: <Priority value={a.priority} />
                            </span>
                          </li>
                        );
                      })}
                    </ul>
                  </section>
                );
              })}
            </div>
          );
        }}
      </AsyncView>
      <button type="button" className="secondary" onClick={state.reload}>
        {t('today.refresh')}
      </button>
    </section>
  );
}
