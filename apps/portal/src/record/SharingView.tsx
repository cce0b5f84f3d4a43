import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName, resources } from '../api';
import { formatDate, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { DateField } from '../shell/DateField';
import {
  type ActorType,
  buildConsent,
  type ConsentShape,
  consentActors,
  consentState,
  grantErrors,
  isSharing,
  defaultShareEnd,
  DEFAULT_SHARE_MONTHS,
  revokedConsent,
} from './consent';
import { loadFacilities } from './facilities';
import { fetchAll } from './fhir-util';
import './messages';
import { loadNames } from './names';

interface SharingData {
  consents: ConsentShape[];
  names: Map<string, string>;
  /** `Practitioner/id` → where they work. */
  facilities: Map<string, string>;
}

async function loadSharing(patientId: string): Promise<SharingData> {
  const q = new URLSearchParams({ patient: `Patient/${patientId}`, _count: '100' });
  const { items } = await fetchAll<ConsentShape>(`/fhir/Consent?${q.toString()}`, 10);
  const consents = items.sort((a, b) => (b.dateTime ?? '').localeCompare(a.dateTime ?? ''));
  const actors = consents.flatMap((c) => consentActors(c).map((a) => a.reference));
  const [names, facilities] = await Promise.all([loadNames(actors), loadFacilities(actors)]);
  return { consents, names, facilities };
}

/** A period boundary (instant or day) as a calendar day in Vietnam. */
const dayOf = (v: string) => (v.length > 10 ? localDay(v) : v);

function ConsentItem({
  consent,
  names,
  facilities,
  onChanged,
}: {
  consent: ConsentShape;
  names: Map<string, string>;
  facilities: Map<string, string>;
  onChanged: (message: string) => void;
}) {
  const { t, i18n } = useTranslation('record');
  const errorText = useErrorText();
  const lang = i18n.language;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const state = consentState(consent);
  const actors = consentActors(consent);
  const who =
    actors.map((a) => names.get(a.reference) ?? a.display ?? a.reference).join(', ') ||
    consent.policyRule?.text ||
    t('unnamed');
  const type = actors[0]?.type ?? 'unknown';
  const period = consent.provision?.period;
  const revoke = () => {
    setBusy(true);
    setError(undefined);
    fhir.update(revokedConsent(consent)).then(
      () => {
        setBusy(false);
        setConfirming(false);
        onChanged(t('sharing.revoked'));
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <li className="card">
      {actors.length > 0 && <p style={{ margin: 0, color: '#4b5563' }}>{t(`sharing.actorType.${type}`)}</p>}
      <p style={{ margin: '2px 0' }}>
        <strong>{who}</strong>
      </p>
      {actors.map(
        (a) =>
          facilities.get(a.reference) && (
            <p key={a.reference} style={{ margin: '2px 0' }}>
              {t('sharing.worksAt', { places: facilities.get(a.reference) })}
            </p>
          ),
      )}
      <p style={{ margin: '2px 0' }}>
        {t(`sharing.state.${state}`)}
        {period?.start && ` · ${t('sharing.from', { date: formatDate(dayOf(period.start), lang) })}`}
        {' · '}
        {period?.end ? t('sharing.until', { date: formatDate(dayOf(period.end), lang) }) : t('sharing.noEnd')}
      </p>
      {consent.dateTime && (
        <p style={{ margin: '2px 0', fontSize: '0.9em' }}>
          {t('sharing.givenOn', { date: formatDate(consent.dateTime, lang) })}
        </p>
      )}
      {error !== undefined && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {state !== 'inactive' &&
        (confirming ? (
          <div role="group" aria-label={t('sharing.revoke')}>
            <p>{t('sharing.revokeConfirm', { name: who })}</p>
            <button type="button" className="danger" disabled={busy} onClick={revoke}>
              {t('sharing.revokeYes')}
            </button>{' '}
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {t('cancel', { ns: 'common' })}
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="secondary"
            aria-label={`${t('sharing.revoke')}: ${who}`}
            onClick={() => setConfirming(true)}
          >
            {t('sharing.revoke')}
          </button>
        ))}
    </li>
  );
}

interface Candidate {
  id: string;
  name: string;
  /** A doctor's facilities, to tell apart two doctors of the same name. */
  facility?: string;
}

function GrantForm({ patientId, onGranted }: { patientId: string; onGranted: (message: string) => void }) {
  const { t } = useTranslation('record');
  const errorText = useErrorText();
  const [actorType, setActorType] = useState<ActorType>('Practitioner');
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | undefined>();
  const [searching, setSearching] = useState(false);
  const [actorId, setActorId] = useState('');
  const [start, setStart] = useState(localDay());
  // A period by default, not "no end" (DEFAULT_SHARE_MONTHS, a local policy); it follows the start
  // day until the patient changes it.
  const [end, setEnd] = useState(() => defaultShareEnd(localDay()));
  const [endChosen, setEndChosen] = useState(false);
  const changeStart = (day: string) => {
    setStart(day);
    if (!endChosen && day) setEnd(defaultShareEnd(day));
  };
  const changeEnd = (day: string) => {
    setEnd(day);
    setEndChosen(true);
  };
  const [errors, setErrors] = useState<{ actor?: string; end?: string }>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  const search = () => {
    if (!query.trim()) return;
    setSearching(true);
    setError(undefined);
    setActorId('');
    fhir
      .search<{ resourceType: string; id?: string; name?: unknown }>(actorType, {
        name: query.trim(),
        _count: '20',
      })
      .then(
        async (b) => {
          const found = resources(b)
            .filter((r) => r.id)
            .map((r) => ({
              id: r.id as string,
              name:
                (typeof r.name === 'string' ? r.name : humanName(r as Parameters<typeof humanName>[0])) ||
                (r.id as string),
            }));
          const facilities =
            actorType === 'Practitioner'
              ? await loadFacilities(found.map((c) => `Practitioner/${c.id}`))
              : new Map<string, string>();
          setCandidates(found.map((c) => ({ ...c, facility: facilities.get(`Practitioner/${c.id}`) })));
          setSearching(false);
        },
        (e: unknown) => {
          setError(e);
          setSearching(false);
        },
      );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = grantErrors({ actorId, start, end });
    setErrors(problems);
    if (problems.actor ?? problems.end) return;
    const chosen = candidates?.find((c) => c.id === actorId);
    setSaving(true);
    setError(undefined);
    fhir
      .create(
        buildConsent({
          patientId,
          actorType,
          actorId,
          actorDisplay: chosen?.name,
          start: start || undefined,
          end: end || undefined,
        }),
      )
      .then(
        () => {
          setSaving(false);
          setCandidates(undefined);
          setActorId('');
          setQuery('');
          setEnd(defaultShareEnd(start || localDay()));
          setEndChosen(false);
          onGranted(t('sharing.granted', { name: chosen?.name ?? '' }));
        },
        (err: unknown) => {
          setSaving(false);
          setError(err);
        },
      );
  };

  return (
    <form onSubmit={submit} noValidate className="card">
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 500 }}>{t('sharing.whoType')}</legend>
        {(['Practitioner', 'Organization'] as const).map((type) => (
          <label key={type} style={{ display: 'flex', gap: 8, alignItems: 'center', fontWeight: 400 }}>
            <input
              type="radio"
              name="actorType"
              value={type}
              checked={actorType === type}
              onChange={() => {
                setActorType(type);
                setCandidates(undefined);
                setActorId('');
              }}
              style={{ width: 'auto', minHeight: 0 }}
            />
            {t(`sharing.actorType.${type}`)}
          </label>
        ))}
      </fieldset>
      <label htmlFor="share-q">{t('sharing.searchLabel')}</label>
      <div style={{ display: 'flex', gap: 8 }}>
        <input
          id="share-q"
          style={{ minWidth: 0, flex: 1 }}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              search();
            }
          }}
          aria-invalid={errors.actor ? true : undefined}
          aria-describedby={errors.actor ? 'share-actor-error' : undefined}
        />
        <button type="button" className="secondary" onClick={search} disabled={searching}>
          {searching ? t('sharing.searching') : t('sharing.searchButton')}
        </button>
      </div>
      {candidates !== undefined &&
        (candidates.length === 0 ? (
          <p role="status">{t('sharing.noResults')}</p>
        ) : (
          <fieldset style={{ border: 'none', padding: 0, margin: '8px 0' }}>
            <legend style={{ fontWeight: 500 }}>{t('sharing.results')}</legend>
            {candidates.map((c) => (
              <label key={c.id} style={{ display: 'flex', gap: 8, alignItems: 'center', fontWeight: 400 }}>
                <input
                  type="radio"
                  name="actor"
                  value={c.id}
                  checked={actorId === c.id}
                  onChange={() => setActorId(c.id)}
                  style={{ width: 'auto', minHeight: 0 }}
                />
                <span>
                  {c.name}
                  {c.facility && (
                    <small style={{ display: 'block' }}>{t('sharing.worksAt', { places: c.facility })}</small>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      {errors.actor && (
        <p id="share-actor-error" className="field-error">
          {t(errors.actor)}
        </p>
      )}
      <div className="grid2">
        <div>
          <label htmlFor="share-start">{t('sharing.start')}</label>
          <DateField id="share-start" value={start} onChange={changeStart} />
        </div>
        <div>
          <label htmlFor="share-end">{t('sharing.end')}</label>
          <DateField
            id="share-end"
            value={end}
            min={start || undefined}
            onChange={changeEnd}
            aria-invalid={errors.end ? true : undefined}
            aria-describedby={errors.end ? 'share-end-hint share-end-error' : 'share-end-hint'}
          />
          <small id="share-end-hint" style={{ display: 'block' }}>
            {t('sharing.endHint', { months: DEFAULT_SHARE_MONTHS })}
          </small>
          {errors.end && (
            <p id="share-end-error" className="field-error">
              {t(errors.end)}
            </p>
          )}
        </div>
      </div>
      {error !== undefined && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      <p>
        <button type="submit" disabled={saving}>
          {saving ? t('sharing.granting') : t('sharing.grant')}
        </button>
      </p>
    </form>
  );
}

/** Manage who else may see the record: Consents naming a doctor or a facility, with a period. */
export function SharingView({ patientId }: { patientId: string }) {
  const { t } = useTranslation('record');
  const state = useAsync(() => loadSharing(patientId), [patientId]);
  const [message, setMessage] = useState('');
  const changed = (m: string) => {
    setMessage(m);
    state.reload();
  };
  return (
    <section aria-labelledby="sharing-h">
      <h1 id="sharing-h">{t('sharing.heading')}</h1>
      <p>{t('sharing.explain1')}</p>
      <p>{t('sharing.explain2')}</p>
      <p>{t('sharing.explain3')}</p>
      <div role="status" aria-live="polite">
        {message && <p className="ok">{message}</p>}
      </div>
      <h2>{t('sharing.current')}</h2>
      <AsyncView state={state}>
        {(d) => {
          const sharing = d.consents.filter(isSharing);
          const other = d.consents.filter((c) => !isSharing(c));
          return (
            <>
              {sharing.length === 0 ? (
                <p>{t('sharing.none')}</p>
              ) : (
                <ul className="plain">
                  {sharing.map((c) => (
                    <ConsentItem
                      key={c.id}
                      consent={c}
                      names={d.names}
                      facilities={d.facilities}
                      onChanged={changed}
                    />
                  ))}
                </ul>
              )}
              {other.length > 0 && (
                <>
                  <h2>{t('sharing.other')}</h2>
                  <p>{t('sharing.otherExplain')}</p>
                  <ul className="plain">
                    {other.map((c) => (
                      <ConsentItem
                        key={c.id}
                        consent={c}
                        names={d.names}
                        facilities={d.facilities}
                        onChanged={changed}
                      />
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </AsyncView>
      <h2>{t('sharing.grantHeading')}</h2>
      <GrantForm patientId={patientId} onGranted={changed} />
    </section>
  );
}
