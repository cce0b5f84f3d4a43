import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName, resources } from '../api';
import { formatDate } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link, navigate } from '../shell/router';
import { classifySearch, maskCccd, type SearchKind, searchParams } from './identifiers';
import { cccdOf, type PatientLike } from './patient-view';
import { lastSearch, rememberSearch, type StationSearch } from './search-memory';
import { KeptPatients } from './offline/KeptPatients';

const PAGE = 20;
const KINDS: SearchKind[] = ['name', 'cccd', 'bhyt', 'phone'];
const isKind = (v: string | null): v is SearchKind => KINDS.includes(v as SearchKind);

/** A search in an old-style address (`/station?q=...&by=...`), if any. */
function fromAddress(search: string): StationSearch | undefined {
  const params = new URLSearchParams(search);
  const q = params.get('q')?.trim();
  const by = params.get('by');
  return q ? { q, by: isKind(by) ? by : undefined } : undefined;
}

/**
 * `/station`: find a patient by name, CCCD, BHYT card or phone. The search is page state and is
 * sent in a POST body: a CCCD typed on a shared station computer must not stay in the address bar,
 * the browser history or server logs. The last search is kept in memory for Back (search-memory).
 */
export function SearchPage({ search }: { search: string }) {
  const { t } = useTranslation('station');
  const [submitted, setSubmitted] = useState(() => fromAddress(search) ?? lastSearch());
  const [attempt, setAttempt] = useState(0);
  const [text, setText] = useState(submitted?.q ?? '');
  const [choice, setChoice] = useState<SearchKind | 'auto'>(submitted?.by ?? 'auto');
  const detected = classifySearch(text);

  // An old link or bookmark with the search in its address: searched, and the address cleaned.
  useEffect(() => {
    const legacy = fromAddress(search);
    if (!legacy) return;
    rememberSearch(legacy);
    navigate('/station', true);
  }, [search]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    const next: StationSearch = { q: value, by: choice === 'auto' ? undefined : choice };
    rememberSearch(next);
    setSubmitted(next);
    setAttempt((n) => n + 1);
  };

  return (
    <section aria-labelledby="station-search-h">
      <h1 id="station-search-h">{t('search.heading')}</h1>
      <form role="search" onSubmit={submit} className="card">
        <label htmlFor="station-q">{t('search.label')}</label>
        <input
          id="station-q"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="station-q-hint station-q-kind"
        />
        <small id="station-q-hint" style={{ display: 'block' }}>
          {t('search.hint')}
        </small>
        <label htmlFor="station-by">{t('search.by')}</label>
        <select
          id="station-by"
          value={choice}
          onChange={(e) => setChoice(e.target.value as SearchKind | 'auto')}
        >
          <option value="auto">{t('search.auto', { kind: t(`kind.${detected}`) })}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
        <p id="station-q-kind" className="visually-hidden" aria-live="polite">
          {text.trim() ? `${t('search.by')}: ${t(`kind.${choice === 'auto' ? detected : choice}`)}` : ''}
        </p>
        <p>
          <button type="submit">{t('search.button')}</button>
        </p>
      </form>
      <KeptPatients />
      {submitted ? <Results key={attempt} q={submitted.q} by={submitted.by} /> : <p>{t('search.empty')}</p>}
      <p>
        <Link to="/station/register">{t('search.registerNew')}</Link>
      </p>
      <p>
        <Link to="/station/vaccinations">{t('vaccinations.link')}</Link>
      </p>
    </section>
  );
}

function Results({ q, by }: { q: string; by?: SearchKind }) {
  const { t, i18n } = useTranslation('station');
  const state = useAsync(
    () => fhir.searchByPost<PatientLike>('Patient', { ...searchParams(q, by), _count: String(PAGE) }),
    [q, by],
  );
  return (
    <section aria-labelledby="station-results-h" aria-busy={state.loading}>
      <h2 id="station-results-h">{t('search.results')}</h2>
      <AsyncView state={state}>
        {(bundle) => {
          const patients = resources(bundle);
          if (patients.length === 0) return <p role="status">{t('search.none')}</p>;
          const hasMore = bundle.link?.some((l) => l.relation === 'next');
          return (
            <>
              <p role="status">{t('search.count', { n: bundle.total ?? patients.length })}</p>
              {hasMore && <p>{t('search.more', { n: patients.length })}</p>}
              <ul className="plain">
                {patients.map((p) => (
                  <li key={p.id} className="card">
                    <Link to={`/station/patient/${encodeURIComponent(p.id ?? '')}`}>
                      <strong>{humanName(p) || t('patient.noName')}</strong>
                    </Link>
                    <dl style={{ margin: '4px 0 0' }}>
                      <div>
                        <dt style={{ display: 'inline' }}>{t('patient.birthDate')}: </dt>
                        <dd style={{ display: 'inline', margin: 0 }}>
                          {formatDate(p.birthDate, i18n.language)}
                        </dd>
                      </div>
                      <div>
                        <dt style={{ display: 'inline' }}>{t('patient.sex')}: </dt>
                        <dd style={{ display: 'inline', margin: 0 }}>
                          {p.gender ? t(`gender.${p.gender}`) : ''}
                        </dd>
                      </div>
                      {cccdOf(p) && (
                        <div>
                          <dt style={{ display: 'inline' }}>{t('patient.cccd')}: </dt>
                          <dd style={{ display: 'inline', margin: 0 }}>{maskCccd(cccdOf(p))}</dd>
                        </div>
                      )}
                    </dl>
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
