import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FhirResource, fhir, humanName, resources } from '../api';

export interface Colleague {
  reference: string;
  name: string;
  organizations: string[];
}

type Named = FhirResource & { name?: unknown };

/**
 * Practitioners whose name matches `query`, each with the organizations of their roles
 * (PractitionerRole → Organization, in the same search).
 */
export async function searchColleagues(query: string): Promise<Colleague[]> {
  const bundle = await fhir.search('Practitioner', {
    name: query,
    _count: '10',
    _revinclude: 'PractitionerRole:practitioner',
    '_include:iterate': 'PractitionerRole:organization',
  });
  const all = resources(bundle, true);
  const orgs = new Map(
    all
      .filter((r) => r.resourceType === 'Organization')
      .map((o) => [`Organization/${o.id ?? ''}`, String((o as Named).name ?? '')]),
  );
  const roles = all.filter((r) => r.resourceType === 'PractitionerRole') as (FhirResource & {
    practitioner?: { reference?: string };
    organization?: { reference?: string; display?: string };
  })[];
  return resources(bundle)
    .filter((r) => r.resourceType === 'Practitioner')
    .map((p) => {
      const reference = `Practitioner/${p.id ?? ''}`;
      const organizations = roles
        .filter((r) => r.practitioner?.reference === reference)
        .map((r) => orgs.get(r.organization?.reference ?? '') ?? r.organization?.display ?? '')
        .filter((x, i, a) => x && a.indexOf(x) === i);
      return { reference, name: humanName(p as Parameters<typeof humanName>[0]) || reference, organizations };
    });
}

/**
 * A colleague to invite, found by name: type part of a name, then choose from the results (each a
 * button: Tab and Enter, or a click). The chosen one is shown with a way to change it.
 */
export function ColleagueSearch({
  selected,
  onSelect,
  search = searchColleagues,
  labels,
}: {
  selected?: Colleague;
  onSelect: (c: Colleague | undefined) => void;
  search?: (query: string) => Promise<Colleague[]>;
  /** The search field's label and the chosen line's words, where "invite a colleague" does not fit. */
  labels?: { search?: string; chosen?: string };
}) {
  const { t } = useTranslation('visit');
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Colleague[]>();
  const [error, setError] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setResults(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      search(q).then(
        (r) => {
          if (!live) return;
          setError(false);
          setResults(r);
        },
        () => live && setError(true),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, search]);

  const label = (c: Colleague): string =>
    c.organizations.length > 0 ? `${c.name} — ${c.organizations.join(', ')}` : c.name;

  if (selected)
    return (
      <p className="visit-colleague-chosen" data-testid="colleague-chosen">
        {labels?.chosen ?? t('colleague.chosen')}: <strong>{label(selected)}</strong>{' '}
        <button type="button" className="secondary" onClick={() => onSelect(undefined)}>
          {t('colleague.change')}
        </button>
      </p>
    );
  return (
    <div className="visit-colleague">
      <label htmlFor={`${id}-q`}>{labels?.search ?? t('colleague.search')}</label>
      <input
        id={`${id}-q`}
        type="search"
        value={query}
        autoComplete="off"
        aria-describedby={`${id}-status`}
        onChange={(e) => setQuery(e.target.value)}
        maxLength={100}
      />
      <p id={`${id}-status`} role="status" className="visit-hint">
        {error
          ? t('colleague.failed')
          : results === undefined
            ? t('colleague.hint')
            : results.length === 0
              ? t('colleague.none')
              : t('colleague.count', { count: results.length })}
      </p>
      {results && results.length > 0 && (
        <ul className="visit-colleague-results" aria-label={t('colleague.results')}>
          {results.map((c) => (
            <li key={c.reference}>
              <button type="button" className="secondary" onClick={() => onSelect(c)}>
                {label(c)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
