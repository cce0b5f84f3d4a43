import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../format';
import './messages';
import { type RecordSummaryData, type SummaryVaccine } from './summary';

/**
 * The child's (or a pregnant woman's) vaccination schedule (issue 18 item 6): every open dose of the
 * server's ImmunizationRecommendation — overdue, due, coming up — with when it is due.
 */
export function VaccinationSchedule({ rows }: { rows: SummaryVaccine[] }) {
  const { t, i18n } = useTranslation('record');
  const lang = i18n.language;
  const vaccineName = useVaccineName();
  return (
    <section className="card record-schedule" aria-labelledby="record-schedule-h">
      <h2 id="record-schedule-h">{t('schedule.heading')}</h2>
      <p>{t('schedule.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('schedule.none')}</p>
      ) : (
        <ul className="record-schedule-list">
          {rows.map((v) => (
            <li key={v.key} className={`vaccine-${v.status}`}>
              <strong>{t(`schedule.status.${v.status}`)}</strong>
              {v.due && ` · ${t('schedule.dueOn', { date: formatDate(v.due, lang) })}`}
              <br />
              {vaccineName(v)}
              {v.dose !== undefined && ` — ${t('doseNumber', { n: v.dose })}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const STYLE = `
.record-summary { border-left: 4px solid #0b5cad; }
.record-summary h2 { margin: 0 0 4px; font-size: 1.15rem; }
.record-summary h3 { margin: 10px 0 2px; font-size: 1rem; }
.record-summary ul { margin: 0; padding-left: 1.2em; }
.record-summary li { margin: 2px 0; }
.record-summary p { margin: 2px 0; }
.record-summary .allergy-high { color: #7a1c16; background: #fdecea; border: 1px solid #b3261e;
  border-radius: 6px; padding: 4px 8px; list-style: none; margin-left: -1.2em; }
.record-summary .vaccine-overdue { color: #7a1c16; font-weight: 600; }
.record-schedule h2 { margin: 0 0 4px; font-size: 1.15rem; }
.record-schedule-list { list-style: none; padding: 0; margin: 0; }
.record-schedule-list li { padding: 6px 8px; margin: 4px 0; border-left: 4px solid #1d4ed8; background: #e8f0fb; color: #1e3a5f; border-radius: 4px; }
.record-schedule-list li.vaccine-overdue { border-left-color: #b3261e; background: #fdecea; color: #7a1c16; }
.record-schedule-list li.vaccine-due { border-left-color: #b45309; background: #fff4e5; color: #5c2d00; }
`;

/** The name of a vaccine of the schedule: the portal's (vi/en) for a known series, else the server's. */
export function useVaccineName(): (v: Pick<SummaryVaccine, 'series' | 'text'>) => string {
  const { t, i18n } = useTranslation('record');
  return (v) =>
    v.series && i18n.exists(`vaccines.${v.series}`, { ns: 'record' }) ? t(`vaccines.${v.series}`) : v.text;
}

/**
 * The top of the record (issue 18 item 4): what anyone treating the patient must see first —
 * active allergies (high criticality first), active problems, current medicines, the next
 * vaccinations due and the next appointment — before the lifelong timeline.
 */
export function RecordSummary({ data, names }: { data: RecordSummaryData; names: Map<string, string> }) {
  const { t, i18n } = useTranslation('record');
  const lang = i18n.language;
  const vaccineName = useVaccineName();
  const next = data.nextAppointment;
  const who = next
    ? next.who.map((r) => r.display ?? (r.reference ? names.get(r.reference) : undefined)).filter(Boolean)
    : [];
  return (
    <section className="card record-summary" aria-labelledby="record-summary-h">
      <style>{STYLE}</style>
      <h2 id="record-summary-h">{t('top.heading')}</h2>
      <h3>{t('top.allergies')}</h3>
      {data.allergies.length === 0 ? (
        <p>{t('top.noAllergy')}</p>
      ) : (
        <ul>
          {data.allergies.map((a) => (
            <li key={a.id} className={a.high ? 'allergy-high' : undefined}>
              {a.high && <span aria-hidden="true">⚠ </span>}
              <strong>{a.text}</strong>
              {a.high && ` — ${t('criticality.high')}`}
              {a.reactions.length > 0 && ` (${t('reaction', { text: a.reactions.join(', ') })})`}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('top.problems')}</h3>
      {data.problems.length === 0 ? (
        <p>{t('top.none')}</p>
      ) : (
        <ul>
          {data.problems.map((p) => (
            <li key={p.id}>
              {p.text}
              {p.code && ` (${p.code})`}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('top.medicines')}</h3>
      {data.medicines.length === 0 ? (
        <p>{t('top.none')}</p>
      ) : (
        <ul>
          {data.medicines.map((m) => (
            <li key={m.id}>
              {m.text}
              {m.dosage && ` — ${m.dosage}`}
            </li>
          ))}
        </ul>
      )}
      {data.hasSchedule && (
        <>
          <h3>{t('top.vaccines')}</h3>
          {data.vaccines.length === 0 ? (
            <p>{t('top.noVaccineDue')}</p>
          ) : (
            <ul>
              {data.vaccines.map((v) => (
                <li key={v.key} className={v.status === 'overdue' ? 'vaccine-overdue' : undefined}>
                  {vaccineName(v)}
                  {v.dose !== undefined && ` — ${t('doseNumber', { n: v.dose })}`}
                  {': '}
                  {t(`schedule.status.${v.status}`)}
                  {v.due && ` (${t('schedule.dueOn', { date: formatDate(v.due, lang) })})`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h3>{t('top.appointment')}</h3>
      {next ? (
        <p>
          <strong>{formatDateTime(next.start, lang)}</strong>
          {next.serviceType === 'video' && ` — ${t('top.video')}`}
          {who.length > 0 && ` — ${t('doctor', { name: who.join(', ') })}`}
        </p>
      ) : (
        <p>{t('top.noAppointment')}</p>
      )}
    </section>
  );
}
