import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FhirResource, fhir, humanName } from '../api';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import { entryText, type Line } from './entry-text';
import { fetchAll, type Reference } from './fhir-util';
import './messages';
import { loadNames } from './names';
import { RecordSummary, VaccinationSchedule } from './RecordSummary';
import { recordSummary, scheduleRows } from './summary';
import { countByKind, groupByYear, type Kind, KINDS, type TimelineEntry, toEntries } from './timeline';
import { useUnitText, VitalChart } from './VitalChart';
import { extractVitals } from './vitals';

const PAGE = 200;
const MAX_PAGES = 25;

interface RecordData {
  patient?: FhirResource;
  entries: TimelineEntry[];
  observations: FhirResource[];
  /** Every resource of `$everything` (the summary reads allergies, appointments, the schedule…). */
  all: FhirResource[];
  names: Map<string, string>;
  complete: boolean;
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

export async function loadRecord(patientId: string, audience: Audience = 'patient'): Promise<RecordData> {
  const id = encodeURIComponent(patientId);
  const [patient, everything] = await Promise.all([
    fhir.read('Patient', patientId),
    fetchAll(`/fhir/Patient/${id}/$everything?_count=${PAGE}`, MAX_PAGES),
  ]);
  const all = everything.items;
  const names = await loadNames(peopleRefs(all));
  return {
    patient,
    entries: toEntries(all, { news2: audience === 'clinician' }),
    observations: all.filter((r) => r.resourceType === 'Observation'),
    all,
    names,
    complete: everything.complete,
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

function RecordContent({
  data,
  chosen,
  setChosen,
  lang,
  backTo,
}: {
  data: RecordData;
  chosen: Set<Kind>;
  setChosen: (k: Set<Kind>) => void;
  lang: string;
  backTo: string;
}) {
  const { t } = useTranslation('record');
  const counts = useMemo(() => countByKind(data.entries), [data.entries]);
  const groups = useMemo(() => groupByYear(data.entries, chosen), [data.entries, chosen]);
  // A chart needs two measurements at least; a single one is read on its set's card in the timeline.
  const vitals = useMemo(
    () => extractVitals(data.observations).filter((s) => s.points.length > 1),
    [data.observations],
  );
  const summary = useMemo(() => recordSummary(data.all), [data.all]);
  const schedule = useMemo(() => scheduleRows(data.all), [data.all]);
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
          {t('truncated', { count: data.entries.length })}
        </p>
      )}
      {schedule.hasSchedule && <VaccinationSchedule rows={schedule.rows} />}
      {data.entries.length === 0 ? (
        <p>{t(schedule.hasSchedule ? 'emptyTimeline' : 'empty')}</p>
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
          </section>
        </>
      )}
    </>
  );
}
