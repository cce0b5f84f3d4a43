import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import { StackCell, StackRow, StackTable } from '../stack-table';
import {
  currentMonth,
  type DueEntry,
  dueRows,
  isMonth,
  notCountedRows,
  STATUS_STYLE,
} from './due-vaccinations';
import './messages';

/**
 * `/station/vaccinations`: the children of the station due or overdue for a vaccine dose in a
 * month (default: this month in Vietnam), with a link to each child's page.
 */
export function DueVaccinations({ initialMonth }: { initialMonth?: string } = {}) {
  const { t, i18n } = useTranslation('station');
  const ids = useId();
  const [text, setText] = useState(initialMonth ?? currentMonth());
  const [month, setMonth] = useState(isMonth(text) ? text : currentMonth());
  const invalid = !isMonth(text);
  const state = useAsync(
    () => api<DueEntry[]>(`/care/immunizations/due?month=${encodeURIComponent(month)}`),
    [month],
  );
  const known = (code: string): string | undefined => {
    const key = `vaccines.${code}`;
    return i18n.exists(key, { ns: 'station' }) ? t(key) : undefined;
  };

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('vaccinations.heading')}</h1>
      <div className="card">
        <label htmlFor={`${ids}-month`}>{t('vaccinations.month')}</label>
        <input
          id={`${ids}-month`}
          type="month"
          value={text}
          style={{ maxWidth: 220 }}
          aria-invalid={invalid || undefined}
          aria-describedby={`${ids}-hint${invalid ? ` ${ids}-err` : ''}`}
          onChange={(e) => {
            setText(e.target.value);
            if (isMonth(e.target.value)) setMonth(e.target.value);
          }}
        />
        <small id={`${ids}-hint`} style={{ display: 'block' }}>
          {t('vaccinations.monthHint')}
        </small>
        {invalid && (
          <p id={`${ids}-err`} className="field-error" role="alert">
            {t('vaccinations.monthInvalid')}
          </p>
        )}
      </div>
      <div aria-busy={state.loading}>
        <AsyncView state={state}>
          {(entries) => {
            const rows = dueRows(entries, i18n.language, known);
            const notCounted = notCountedRows(entries, i18n.language);
            if (rows.length === 0) return <p role="status">{t('vaccinations.none')}</p>;
            return (
              <>
                <p role="status">{t('vaccinations.count', { n: rows.length })}</p>
                <StackTable
                  testId="due-vaccinations"
                  caption={t('vaccinations.caption')}
                  columns={[
                    t('vaccinations.child'),
                    t('vaccinations.birthDate'),
                    t('vaccinations.vaccine'),
                    t('vaccinations.dose'),
                    t('vaccinations.due'),
                    t('vaccinations.status'),
                  ]}
                >
                  {rows.map((r) => {
                    const s = STATUS_STYLE[r.status];
                    return (
                      <StackRow key={r.key}>
                        <StackCell label={t('vaccinations.child')}>
                          <Link to={r.href}>{r.name || t('vaccinations.noName')}</Link>
                        </StackCell>
                        <StackCell label={t('vaccinations.birthDate')} className="nowrap">
                          {r.birthDate}
                        </StackCell>
                        <StackCell label={t('vaccinations.vaccine')}>{r.vaccine}</StackCell>
                        <StackCell label={t('vaccinations.dose')} className="nowrap">
                          {t('vaccinations.doseN', { n: r.dose })}
                        </StackCell>
                        <StackCell label={t('vaccinations.due')} className="nowrap">
                          {r.due}
                        </StackCell>
                        <StackCell label={t('vaccinations.status')}>
                          <span
                            style={{
                              display: 'inline-block',
                              padding: '2px 8px',
                              borderRadius: 12,
                              border: `1px solid ${s.border}`,
                              color: s.color,
                              background: s.background,
                              fontWeight: 600,
                              whiteSpace: 'nowrap',
                            }}
                          >
                            {t(`vaccinations.statuses.${r.status}`)}
                          </span>
                          {r.status === 'overdue' && r.overdueFrom && (
                            <small style={{ display: 'block' }}>
                              {t('vaccinations.overdueSince', { date: r.overdueFrom })}
                            </small>
                          )}
                        </StackCell>
                      </StackRow>
                    );
                  })}
                </StackTable>
                {notCounted.length > 0 && (
                  <section aria-labelledby={`${ids}-nc`} className="card">
                    <h2 id={`${ids}-nc`}>{t('vaccinations.notCountedHeading')}</h2>
                    <p>{t('vaccinations.notCountedHint')}</p>
                    <ul>
                      {notCounted.map((n) => (
                        <li key={n.key}>
                          <Link to={n.href}>{n.name || t('vaccinations.noName')}</Link>
                          {': '}
                          {t('vaccinations.notCountedItem', { date: n.date })}{' '}
                          <code style={{ overflowWrap: 'anywhere' }}>{n.code}</code>
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
              </>
            );
          }}
        </AsyncView>
      </div>
      <p>
        <Link to="/station">{t('vaccinations.back')}</Link>
      </p>
    </section>
  );
}
