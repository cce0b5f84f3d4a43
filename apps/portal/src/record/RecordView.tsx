import { type ReactNode, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Bundle, type FhirResource, fhir, humanName, resources } from '../api';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import { entryText, type Line } from './entry-text';
import { fetchAll, type Reference, relativeUrl } from './fhir-util';
import './messages';
import { loadNames } from './names';
import { RecordSummary, VaccinationSchedule } from './RecordSummary';
import { recordSummary, scheduleRows } from './summary';
import { countByKind, groupByYear, type Kind, KINDS, type TimelineEntry, toEntries } from './timeline';
import { useUnitText, VitalChart } from './VitalChart';
import { extractVitals } from './vitals';

/** Timeline entries per page of `$everything`, newest first (issue 18 item 18: a lifelong record is paged). */
export const TIMELINE_PAGE = 100;
const SUMMARY_PAGE = 200;

interface RecordData {
  patient?: FhirResource;
  entries: TimelineEntry[];
  observations: FhirResource[];
  /** The resources the summary reads (allergies, problems, medicines, the schedule, appointments). */
  summaryResources: FhirResource[];
  names: Map<string, string>;
  /** Whether the summary's searches were read to their end. */
  complete: boolean;
}

/** One page of the timeline: its resources and the next page's path, if older entries are left. */
interface TimelinePage {
  items: FhirResource[];
  next?: string;
}

/** All references to people in the record, to show names instead of ids. */
function peopleRefs(all: readonly FhirResource[]): string[] {
  const refs: (string | undefined)[] = [];
  for (const r of all as (FhirResource & Record<string, unknown>)[]) {
    for (const p of (r.participant ?? []) as { individual?: Reference; actor?: Reference }[])
      refs.push(p.individual?.reference ?? p.actor?.reference);
    for (const k of ['requester', 'assessor', 'recorder', 'asserter', 'performer'])
      if (r[k] && !Array.isArray(r[k])) refs.push((r[k] as Reference).reference);
  }
  return [...new Set(refs.filter((x): x is string => Boolean(x)))];
}

/** Who reads the record: the NEWS2 score and its meaning are for clinicians. */
export type Audience = 'patient' | 'clinician';

/**
 * The summary's resources, from targeted searches (complete however long the record is) rather
 * than from the whole of `$everything`; `now` bounds the appointments asked for (a day back, so an
 * appointment under way still counts: `recordSummary` decides by its end).
 */
export async function loadSummaryResources(
  patientId: string,
  now: Date = new Date(),
): Promise<{ items: FhirResource[]; complete: boolean }> {
  const p = encodeURIComponent(patientId);
  const since = encodeURIComponent(new Date(now.getTime() - 24 * 3600 * 1000).toISOString());
  const searches = [
    `AllergyIntolerance?patient=${p}`,
    // Only the problems the summary lists (summary.ts keeps the same filter as a guard).
    `Condition?patient=${p}&clinical-status=active,recurrence,relapse`,
    `MedicationRequest?patient=${p}&status=active`,
    `MedicationStatement?patient=${p}&status=active,intended`,
    `ImmunizationRecommendation?patient=${p}`,
    `Appointment?patient=${p}&date=ge${since}`,
  ];
  const results = await Promise.all(searches.map((q) => fetchAll(`/fhir/${q}&_count=${SUMMARY_PAGE}`)));
  return { items: results.flatMap((r) => r.items), complete: results.every((r) => r.complete) };
}

/** A page of the timeline: the first (`$everything` newest first) or the one a `next` link names. */
export async function loadTimelinePage(path: string): Promise<TimelinePage> {
  const bundle = await api<Bundle>(path);
  const link = bundle.link?.find((l) => l.relation === 'next')?.url;
  return { items: resources(bundle), ...(link ? { next: relativeUrl(link) } : {}) };
}

export function firstTimelinePage(patientId: string): string {
  return `/fhir/Patient/${encodeURIComponent(patientId)}/$everything?_count=${TIMELINE_PAGE}&_sort=-_lastUpdated`;
}

export async function loadRecord(
  patientId: string,
  audience: Audience = 'patient',
): Promise<RecordData & { page: TimelinePage; audience: Audience }> {
  const [patient, summary, page] = await Promise.all([
    fhir.read('Patient', patientId),
    loadSummaryResources(patientId),
    loadTimelinePage(firstTimelinePage(patientId)),
  ]);
  const names = await loadNames(peopleRefs([...summary.items, ...page.items]));
  return {
    patient,
    entries: toEntries(page.items, { news2: audience === 'clinician' }),
    observations: page.items.filter((r) => r.resourceType === 'Observation'),
    summaryResources: summary.items,
    names,
    complete: summary.complete,
    page,
    audience,
  };
}

export function LineText({ line }: { line: Line }) {
  const { t } = useTranslation('record');
  if ('text' in line) return <>{line.text}</>;
  const translated = Object.fromEntries(Object.entries(line.tValues ?? {}).map(([k, key]) => [k, t(key)]));
  return <>{t(line.key, { ...line.values, ...translated })}</>;
}

/** A status in words; the kind's own word first ("Đang mắc" a condition, "Đang dùng" a medicine). */
function StatusText({ code, kind }: { code: string; kind: Kind }) {
  const { t, i18n } = useTranslation('record');
  const has = (key: string) => i18n.exists(key, { ns: 'record' });
  if (has(`statusOf.${kind}.${code}`)) return <>{t(`statusOf.${kind}.${code}`)}</>;
  return <>{has(`status.${code}`) ? t(`status.${code}`) : t('status.other', { code })}</>;
}

function Entry({
  entry,
  names,
  backTo,
}: {
  entry: TimelineEntry;
  names: Map<string, string>;
  backTo: string;
}) {
  const { t, i18n } = useTranslation('record');
  const unitText = useUnitText();
  const lang = i18n.language;
  const text = entryText(entry, names, (n, d) => formatNumber(n, lang, d), unitText);
  const when =
    entry.date && entry.date.length > 10 ? formatDateTime(entry.date, lang) : formatDate(entry.date, lang);
  const url = (entry.resource as { content?: { attachment?: { url?: string } }[] }).content?.[0]?.attachment
    ?.url;
  return (
    <li className={`card entry entry-${entry.kind}`}>
      <p className="entry-meta">
        <span className="entry-kind">{t(`kinds.${entry.kind}`)}</span>
        {when && (
          <>
            {' · '}
            <time dateTime={entry.date}>{when}</time>
          </>
        )}
        {text.status && (
          <>
            {' · '}
            <StatusText code={text.status} kind={entry.kind} />
          </>
        )}
      </p>
      <p className="entry-title">
        <strong>
          <LineText line={text.title} />
        </strong>
      </p>
      {text.lines.map((l, i) => (
        <p key={i} className="entry-line">
          <LineText line={l} />
        </p>
      ))}
      {entry.kind === 'visit' && entry.resource.id && (
        <p className="entry-line">
          <Link
            to={`/record/visit/${encodeURIComponent(entry.resource.id)}?from=${encodeURIComponent(backTo)}`}
          >
            {t('summaryLink')}
          </Link>
        </p>
      )}
      {entry.kind === 'document' && url && /^https?:/.test(url) && (
        <p className="entry-line">
          <a href={url} target="_blank" rel="noreferrer">
            {t('openDocument')}
          </a>
        </p>
      )}
    </li>
  );
}

const STYLE = `
.record-chips { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; padding: 0; margin: 8px 0; }
.record-chips button { min-height: 36px; padding: 4px 12px; border-radius: 18px; background: #fff; color: #0b5cad; }
.record-chips button[aria-pressed='true'] { background: #0b5cad; color: #fff; }
.record-timeline { list-style: none; padding: 0; margin: 0; }
.record-timeline .entry { margin: 8px 0; border-left: 4px solid #0b5cad; }
.record-timeline .entry-diagnosis { border-left-color: #b3261e; }
.record-timeline .entry-allergy { border-left-color: #c2410c; }
.record-timeline .entry-medication { border-left-color: #6d28d9; }
.record-timeline .entry-vaccination { border-left-color: #2e7d32; }
.record-timeline .entry-vital, .record-timeline .entry-result { border-left-color: #0e7490; }
.record-timeline .entry p { margin: 2px 0; }
.record-timeline .entry-meta { color: #4b5563; font-size: 0.9em; }
.record-vitals { display: grid; grid-template-columns: 1fr; gap: 8px; }
@media (min-width: 720px) { .record-vitals { grid-template-columns: 1fr 1fr; } }
.record-more { margin: 12px 0; }
.record-more button { min-height: 44px; }
`;

/** The record as a lifelong timeline (patient: their own; clinician: a patient they may see). */
export function RecordView({
  patientId,
  backTo,
  audience = 'patient',
}: {
  patientId: string;
  backTo: string;
  audience?: Audience;
}) {
  const { t, i18n } = useTranslation('record');
  const state = useAsync(() => loadRecord(patientId, audience), [patientId, audience]);
  const [chosen, setChosen] = useState<Set<Kind>>(new Set());
  return (
    <section aria-labelledby="record-h">
      <style>{STYLE}</style>
      {(state.data === undefined || state.error !== undefined) && <h1 id="record-h">{t('title')}</h1>}
      {state.error instanceof ApiError && (state.error.status === 404 || state.error.status === 403) ? (
        <div role="alert" className="error">
          <p>{t('noAccess')}</p>
          <button type="button" onClick={state.reload}>
            {t('retry', { ns: 'common' })}
          </button>
        </div>
      ) : (
        <AsyncView state={state}>
          {(data) => (
            <RecordContent
              data={data}
              chosen={chosen}
              setChosen={setChosen}
              lang={i18n.language}
              backTo={backTo}
            />
          )}
        </AsyncView>
      )}
    </section>
  );
}

/** The pages of the timeline loaded after the first ("Show older entries"), with their names. */
interface Older {
  base: LoadedRecord;
  items: FhirResource[];
  names: Map<string, string>;
  next?: string;
}
type LoadedRecord = Awaited<ReturnType<typeof loadRecord>>;

function RecordContent({
  data,
  chosen,
  setChosen,
  lang,
  backTo,
}: {
  data: LoadedRecord;
  chosen: Set<Kind>;
  setChosen: (k: Set<Kind>) => void;
  lang: string;
  backTo: string;
}) {
  const { t } = useTranslation('record');
  const errorText = useErrorText();
  const [olderState, setOlder] = useState<Older | undefined>();
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<unknown>();
  const statusRef = useRef<HTMLParagraphElement>(null);
  // Reloaded (another patient, a retry): the older pages of the previous load are dropped.
  const older: Older = olderState?.base === data ? olderState : { base: data, items: [], names: new Map() };
  const next = olderState?.base === data ? olderState.next : data.page.next;
  const view = useMemo(() => {
    if (older.items.length === 0) return data;
    // Each resource once, by type and id, over all pages: the server pages a snapshot, so an entry
    // edited between pages is not repeated, but a page never adds what is already shown.
    const key = (r: FhirResource) => `${r.resourceType}/${String(r.id)}`;
    const seen = new Set(data.page.items.map(key));
    const added = older.items.filter((r) => {
      if (seen.has(key(r))) return false;
      seen.add(key(r));
      return true;
    });
    return {
      ...data,
      // From all pages at once: a set of vital signs split across two pages is still one entry.
      entries: toEntries([...data.page.items, ...added], { news2: data.audience === 'clinician' }),
      observations: [...data.observations, ...added.filter((r) => r.resourceType === 'Observation')],
      names: new Map([...data.names, ...older.names]),
    };
  }, [data, older.items, older.names]);
  const showOlder = async () => {
    if (loading || !next) return;
    setLoading(true);
    setFailed(undefined);
    try {
      const page = await loadTimelinePage(next);
      const known = new Set([...data.names.keys(), ...older.names.keys()]);
      const names = await loadNames(peopleRefs(page.items).filter((r) => !known.has(r)));
      setOlder({
        base: data,
        items: [...older.items, ...page.items],
        names: new Map([...older.names, ...names]),
        ...(page.next ? { next: page.next } : {}),
      });
      // The button goes with the last page: focus the count, not the page's top.
      if (!page.next) setTimeout(() => statusRef.current?.focus(), 0);
    } catch (error) {
      setFailed(error);
    } finally {
      setLoading(false);
    }
  };
  return (
    <RecordBody
      data={view}
      chosen={chosen}
      setChosen={setChosen}
      lang={lang}
      backTo={backTo}
      more={
        view.entries.length > 0 || next ? (
          <div className="record-more">
            <p role="status" ref={statusRef} tabIndex={-1}>
              {t(next ? 'shownNewest' : 'shownAll', { count: view.entries.length })}
            </p>
            {failed !== undefined && (
              <p role="alert" className="error">
                {errorText(failed)}
              </p>
            )}
            {next && (
              <button type="button" aria-disabled={loading} onClick={() => void showOlder()}>
                {loading ? t('loadingOlder') : t('showOlder')}
              </button>
            )}
          </div>
        ) : undefined
      }
    />
  );
}

function RecordBody({
  data,
  chosen,
  setChosen,
  lang,
  backTo,
  more,
}: {
  data: RecordData;
  chosen: Set<Kind>;
  setChosen: (k: Set<Kind>) => void;
  lang: string;
  backTo: string;
  more: ReactNode;
}) {
  const { t } = useTranslation('record');
  const counts = useMemo(() => countByKind(data.entries), [data.entries]);
  const groups = useMemo(() => groupByYear(data.entries, chosen), [data.entries, chosen]);
  // A chart needs two measurements at least; a single one is read on its set's card in the timeline.
  const vitals = useMemo(
    () => extractVitals(data.observations).filter((s) => s.points.length > 1),
    [data.observations],
  );
  const summary = useMemo(() => recordSummary(data.summaryResources), [data.summaryResources]);
  const schedule = useMemo(() => scheduleRows(data.summaryResources), [data.summaryResources]);
  const name = humanName(data.patient as Parameters<typeof humanName>[0]);
  const birth = (data.patient as { birthDate?: string } | undefined)?.birthDate;
  const toggle = (k: Kind) => {
    const next = new Set(chosen);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setChosen(next);
  };
  const showVitals = chosen.size === 0 || chosen.has('vital');
  return (
    <>
      <h1 id="record-h">{name ? t('titleOf', { name }) : t('title')}</h1>
      {birth && <p>{t('born', { date: formatDate(birth, lang) })}</p>}
      <RecordSummary data={summary} names={data.names} />
      <p>{t('intro')}</p>
      {!data.complete && (
        <p role="status" className="error">
          {t('truncated')}
        </p>
      )}
      {schedule.hasSchedule && <VaccinationSchedule rows={schedule.rows} />}
      {data.entries.length === 0 ? (
        <>
          <p>{t(schedule.hasSchedule ? 'emptyTimeline' : 'empty')}</p>
          {more}
        </>
      ) : (
        <>
          <h2 className="visually-hidden" id="record-filters">
            {t('filters')}
          </h2>
          <ul className="record-chips" aria-labelledby="record-filters">
            <li>
              <button type="button" aria-pressed={chosen.size === 0} onClick={() => setChosen(new Set())}>
                {t('chip', { label: t('all'), count: data.entries.length })}
              </button>
            </li>
            {KINDS.filter((k) => counts[k] > 0).map((k) => (
              <li key={k}>
                <button type="button" aria-pressed={chosen.has(k)} onClick={() => toggle(k)}>
                  {t('chip', { label: t(`kinds.${k}`), count: counts[k] })}
                </button>
              </li>
            ))}
          </ul>
          {showVitals && vitals.length > 0 && (
            <section aria-labelledby="record-vitals-h">
              <h2 id="record-vitals-h">{t('vitals.heading')}</h2>
              <div className="record-vitals">
                {vitals.map((s) => (
                  <VitalChart key={s.key} series={s} />
                ))}
              </div>
            </section>
          )}
          <section aria-labelledby="record-timeline-h">
            <h2 id="record-timeline-h">{t('timeline')}</h2>
            {groups.length === 0 && <p>{t('emptyFilter')}</p>}
            {groups.map((g) => (
              <section key={g.year || 'undated'} aria-labelledby={`record-y-${g.year || 'undated'}`}>
                <h3 id={`record-y-${g.year || 'undated'}`}>
                  {g.year ? t('yearHeading', { year: g.year }) : t('undated')}
                </h3>
                <ul className="record-timeline">
                  {g.entries.map((e) => (
                    <Entry key={e.key} entry={e} names={data.names} backTo={backTo} />
                  ))}
                </ul>
              </section>
            ))}
            {more}
          </section>
        </>
      )}
    </>
  );
}
