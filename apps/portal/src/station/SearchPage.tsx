import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName, resources } from '../api';
import { formatDate } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link, navigate } from '../shell/router';
import { classifySearch, maskCccd, type SearchKind, searchParams } from './identifiers';
import { cccdOf, type PatientLike } from './patient-view';

const PAGE = 20;
const KINDS: SearchKind[] = ['name', 'cccd', 'bhyt', 'phone'];
const isKind = (v: string | null): v is SearchKind => KINDS.includes(v as SearchKind);

/** `/station?q=...&by=...`: the query lives in the address, so Back and links work. */
export function SearchPage({ search }: { search: string }) {
  const { t } = useTranslation('station');
  const params = new URLSearchParams(search);
  const q = params.get('q') ?? '';
  const byParam = params.get('by');
  const by = isKind(byParam) ? byParam : undefined;
  const [text, setText] = useState(q);
  const [choice, setChoice] = useState<SearchKind | 'auto'>(by ?? 'auto');
  const detected = classifySearch(text);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    const next = new URLSearchParams({ q: value });
    if (choice !== 'auto') next.set('by', choice);
    navigate(`/station?${next.toString()}`);
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
      {q ? <Results q={q} by={by} /> : <p>{t('search.empty')}</p>}
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
    () => fhir.search<PatientLike>('Patient', { ...searchParams(q, by), _count: String(PAGE) }),
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
