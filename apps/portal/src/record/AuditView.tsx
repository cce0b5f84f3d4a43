import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Bundle, resources } from '../api';
import { formatDateTime } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { type AuditLine, auditLine } from './audit';
import { relativeUrl } from './fhir-util';
import './messages';
import { loadNames } from './names';

interface AuditPage {
  lines: AuditLine[];
  next?: string;
  names: Map<string, string>;
}

/** The AuditEvent search the server supports: `patient`, `date`, `_count` (newest first already). */
export function auditPath(patientId: string, count = 50): string {
  const q = new URLSearchParams({ patient: `Patient/${patientId}`, _count: String(count) });
  return `/fhir/AuditEvent?${q.toString()}`;
}

export async function loadAuditPage(path: string, patientId: string): Promise<AuditPage> {
  const bundle = await api<Bundle>(path);
  const lines = resources(bundle).map((r) => auditLine(r, patientId));
  const next = bundle.link?.find((l) => l.relation === 'next')?.url;
  const names = await loadNames(lines.filter((l) => !l.self).map((l) => l.whoReference));
  return { lines, next: next ? relativeUrl(next) : undefined, names };
}

/** A line with the names of the page it came from. */
interface Entry {
  line: AuditLine;
  names: Map<string, string>;
}

function AuditRows({ entries }: { entries: readonly Entry[] }) {
  const { t, i18n } = useTranslation('record');
  const lang = i18n.language;
  const typeText = (type?: string) =>
    type && i18n.exists(`types.${type}`, { ns: 'record' }) ? t(`types.${type}`) : t('types.other');
  return (
    <>
      {entries.map(({ line: l, names }) => {
        // A system client is named as registered (the server's who.display); the platform's own jobs
        // (`system:care.…`) as Mekong Health.
        const who = l.self
          ? t('audit.you')
          : (l.whoReference && names.get(l.whoReference)) ||
            (l.whoReference?.startsWith('Patient/')
              ? t('audit.relative')
              : l.who.startsWith('system:')
                ? t('audit.internal')
                : l.who || t('audit.unknown'));
        const roleKey = l.role && i18n.exists(`audit.roles.${l.role}`, { ns: 'record' }) ? l.role : 'other';
        const whole = l.action === 'everything' || l.action === 'breakGlass';
        return (
          <StackRow key={l.id}>
            <StackCell label={t('audit.when')}>
              {l.when ? <time dateTime={l.when}>{formatDateTime(l.when, lang)}</time> : '—'}
            </StackCell>
            <StackCell label={t('audit.who')}>{who}</StackCell>
            <StackCell label={t('audit.role')}>{l.role ? t(`audit.roles.${roleKey}`) : '—'}</StackCell>
            <StackCell label={t('audit.what')}>
              {whole
                ? t(`audit.action.${l.action}`)
                : t('audit.sentence', {
                    action: t(`audit.action.${l.action}`),
                    what: typeText(l.entityType),
                  })}
              {l.emergency && (
                <>
                  {' '}
                  <strong>({t('audit.emergency')})</strong>
                </>
              )}
              {l.emergency && l.detail && (
                <>
                  <br />
                  {t('audit.reasonGiven', { text: l.detail })}
                </>
              )}
            </StackCell>
            <StackCell label={t('audit.outcomeCol')} className={`audit-${l.outcome}`}>
              {t(`audit.outcome.${l.outcome}`)}
            </StackCell>
          </StackRow>
        );
      })}
    </>
  );
}

/** "Who viewed my record": the patient's audit trail, newest first, in plain language. */
export function AuditView({ patientId }: { patientId: string }) {
  const { t } = useTranslation('record');
  const errorText = useErrorText();
  const first = useAsync(() => loadAuditPage(auditPath(patientId), patientId), [patientId]);
  const [more, setMore] = useState<AuditPage[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const loadMore = (path: string) => {
    setLoadingMore(true);
    setMoreError(undefined);
    loadAuditPage(path, patientId).then(
      (p) => {
        setMore((m) => [...m, p]);
        setLoadingMore(false);
      },
      (e: unknown) => {
        setMoreError(e);
        setLoadingMore(false);
      },
    );
  };
  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h">{t('audit.heading')}</h1>
      <p>{t('audit.intro')}</p>
      <AsyncView state={first}>
        {(page) => {
          const pages = [page, ...more];
          const next = pages[pages.length - 1]?.next;
          if (page.lines.length === 0) return <p>{t('audit.empty')}</p>;
          // Other people and systems first; the patient's own actions (and nothing else) apart.
          const entries = pages.flatMap((p) => p.lines.map((line) => ({ line, names: p.names })));
          const others = entries.filter((e) => !e.line.self);
          const mine = entries.filter((e) => e.line.self);
          const columns = [
            t('audit.when'),
            t('audit.who'),
            t('audit.role'),
            t('audit.what'),
            t('audit.outcomeCol'),
          ];
          return (
            <>
              <h2 id="audit-others">{t('audit.others')}</h2>
              {others.length === 0 ? (
                <p>{t('audit.othersNone')}</p>
              ) : (
                <StackTable testId="audit-table" columns={columns} caption={t('audit.others')}>
                  <AuditRows entries={others} />
                </StackTable>
              )}
              {mine.length > 0 && (
                <>
                  <h2 id="audit-mine">{t('audit.mine', { count: mine.length })}</h2>
                  <p>{t('audit.mineExplain')}</p>
                  <StackTable
                    testId="audit-table-mine"
                    columns={columns}
                    caption={t('audit.mine', { count: mine.length })}
                  >
                    <AuditRows entries={mine} />
                  </StackTable>
                </>
              )}
              {moreError !== undefined && (
                <p role="alert" className="error">
                  {errorText(moreError)}
                </p>
              )}
              {next && (
                <button
                  type="button"
                  className="secondary"
                  disabled={loadingMore}
                  onClick={() => loadMore(next)}
                >
                  {loadingMore ? t('loading', { ns: 'common' }) : t('audit.more')}
                </button>
              )}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
