import { useTranslation } from 'react-i18next';
import '../booking/messages';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { type EconsultCaseListItem, listCases } from './econsult-api';
import './econsult.css';
import './messages';

/** How long a case has waited, in the worklist's words. */
export function waitingText(
  t: (key: string, o?: Record<string, unknown>) => string,
  createdAt: string,
  now = Date.now(),
): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 60_000));
  return minutes < 60
    ? t('worklist.minutes', { n: minutes })
    : t('worklist.hours', { n: Math.floor(minutes / 60), m: minutes % 60 });
}

/**
 * `/doctor/econsult`: the specialist's e-consult worklist, in the server's order (open first, then
 * priority, NEWS2, triage, the longest waiting) — never re-sorted here.
 */
export function Worklist({ claims }: { claims: Claims }) {
  const { t } = useTranslation('econsult');
  const { t: tb } = useTranslation('booking');
  const state = useAsync(() => listCases(), []);
  const columns = [
    t('worklist.patient'),
    t('worklist.priority'),
    t('worklist.news2'),
    t('worklist.specialty'),
    t('worklist.waiting'),
    t('worklist.status'),
  ];
  const statusOf = (c: EconsultCaseListItem): string =>
    c.status === 'completed'
      ? t('status.completed')
      : c.assignee && c.assignee === claims.fhirUser
        ? t('worklist.mine')
        : t('worklist.open');
  return (
    <section aria-labelledby="econsult-worklist-h">
      <h1 id="econsult-worklist-h">{t('worklist.heading')}</h1>
      <p>{t('worklist.intro')}</p>
      <AsyncView state={state}>
        {(list) =>
          list.length === 0 ? (
            <p>{t('worklist.none')}</p>
          ) : (
            <StackTable columns={columns} caption={t('worklist.caption')} testId="econsult-worklist">
              {list.map((c) => (
                <StackRow key={c.id}>
                  <StackCell label={columns[0] ?? ''}>
                    <Link to={`/doctor/econsult/${encodeURIComponent(c.id)}`}>
                      {c.patient.name ?? t('worklist.noName')}
                    </Link>
                  </StackCell>
                  <StackCell label={columns[1] ?? ''}>
                    <span className={`econsult-priority econsult-priority-${c.priority}`}>
                      {t(`priority.${c.priority}`)}
                    </span>
                  </StackCell>
                  <StackCell label={columns[2] ?? ''}>{c.news2 ?? '—'}</StackCell>
                  <StackCell label={columns[3] ?? ''}>
                    {tb(`specialties.${c.specialty}`, { defaultValue: c.specialty })}
                  </StackCell>
                  <StackCell label={columns[4] ?? ''}>{waitingText(t, c.createdAt)}</StackCell>
                  <StackCell label={columns[5] ?? ''}>{statusOf(c)}</StackCell>
                </StackRow>
              ))}
            </StackTable>
          )
        }
      </AsyncView>
    </section>
  );
}
