import { useId, useState } from 'react';
import { fhir, resources } from '../api';
import { useTranslation } from 'react-i18next';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { DateTimeField } from '../shell/DateTimeField';
import type { Claims } from '../shell/session-store';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { type Colleague, ColleagueSearch } from '../visit/ColleagueSearch';
import { addShift, listRoster, removeShift, vnTime } from './alerts-api';
import './messages';

/** A `YYYY-MM-DDTHH:mm` wall-clock value (DateTimeField) read as Vietnam time (the roster is kept in UTC). */
export const fromVnLocal = (value: string): string => new Date(`${value}:00+07:00`).toISOString();

/** The facility and the stations it is the referral hospital of (Organization.partOf): what a shift may cover. */
export async function coverable(facility: string): Promise<{ reference: string; name?: string }[]> {
  const id = facility.replace(/^Organization\//, '');
  const [own, stations] = await Promise.all([
    fhir
      .read<{ resourceType: string; id?: string; name?: string }>('Organization', id)
      .catch(() => undefined),
    fhir.search('Organization', { partof: facility, _count: '100' }).catch(() => undefined),
  ]);
  const named = (o: { id?: string; name?: unknown }) => ({
    reference: `Organization/${o.id ?? ''}`,
    name: typeof o.name === 'string' && o.name ? o.name : undefined,
  });
  return [own ? named(own) : { reference: facility }, ...(stations ? resources(stations).map(named) : [])];
}

/**
 * `/station/roster`: the facility's duty roster for the next 7 days (rows it owns and rows of its
 * referral hospital covering it), with a form to add a shift and a button to delete one of its own
 * (docs/decisions/018-duty-roster.md: a facility's clinic staff edit its rows).
 */
export function DutyRoster({ claims }: { claims: Claims }) {
  const { t } = useTranslation('alerts');
  const errorText = useErrorText();
  const ids = useId();
  const facility = claims.organization ?? '';
  const staff = claims.role === 'clinic-staff' && facility !== '';
  const state = useAsync(() => (staff ? listRoster(facility) : Promise.resolve([])), [facility, staff]);
  const [doctor, setDoctor] = useState<Colleague>();
  const places = useAsync(() => (staff ? coverable(facility) : Promise.resolve([])), [facility, staff]);
  const [covers, setCovers] = useState<string[]>([facility]);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  if (!staff) return <p role="alert">{t('roster.onlyStaff')}</p>;
  const run = async (work: () => Promise<unknown>, done: string): Promise<void> => {
    setError(undefined);
    setStatus(undefined);
    try {
      await work();
      setStatus(done);
      state.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const list = covers.filter(Boolean);
  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('roster.heading')}</h1>
      <div aria-busy={state.loading}>
        <AsyncView state={state}>
          {(rows) =>
            rows.length === 0 ? (
              <p role="status">{t('roster.none')}</p>
            ) : (
              <StackTable
                caption={t('roster.caption')}
                columns={[t('roster.who'), t('roster.when'), t('roster.where')]}
              >
                {rows.map((r) => (
                  <StackRow key={r.id}>
                    <StackCell label={t('roster.who')}>
                      {r.names?.[r.practitioner] ?? t('roster.unnamedDoctor')}
                      {r.note && <small style={{ display: 'block' }}>{r.note}</small>}
                      {r.facility === facility && (
                        <button
                          type="button"
                          className="secondary"
                          style={{ whiteSpace: 'nowrap', display: 'block', marginTop: 4 }}
                          aria-label={`${t('roster.remove')}: ${r.names?.[r.practitioner] ?? t('roster.unnamedDoctor')}, ${vnTime(r.start)}`}
                          onClick={() => void run(() => removeShift(r.id), t('roster.removed'))}
                        >
                          {t('roster.remove')}
                        </button>
                      )}
                    </StackCell>
                    <StackCell label={t('roster.when')} className="nowrap">
                      {vnTime(r.start)}
                      <br />– {vnTime(r.end)}
                    </StackCell>
                    <StackCell label={t('roster.where')}>
                      {r.covers
                        .map(
                          (c) =>
                            r.names?.[c] ??
                            (c === facility ? t('roster.ownFacility') : t('roster.unnamedFacility')),
                        )
                        .join(', ')}
                    </StackCell>
                  </StackRow>
                ))}
              </StackTable>
            )
          }
        </AsyncView>
      </div>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (!doctor || list.length === 0 || !start || !end) {
            setError(t('roster.required'));
            return;
          }
          void run(
            () =>
              addShift({
                facility,
                practitioner: doctor.reference,
                covers: list,
                start: fromVnLocal(start),
                end: fromVnLocal(end),
                ...(note.trim() ? { note: note.trim() } : {}),
              }),
            t('roster.added'),
          );
        }}
      >
        <h2>{t('roster.add')}</h2>
        <ColleagueSearch
          selected={doctor}
          onSelect={setDoctor}
          labels={{ search: t('roster.findDoctor'), chosen: t('roster.chosenDoctor') }}
        />
        <fieldset aria-busy={places.loading}>
          <legend>{t('roster.covers')}</legend>
          {/* While the names load (or if they cannot), the facility is named in words, never by its reference. */}
          {(places.data ?? [{ reference: facility, name: undefined }]).map((o) => (
            <label key={o.reference} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <input
                type="checkbox"
                checked={covers.includes(o.reference)}
                onChange={(e) =>
                  setCovers((c) =>
                    e.target.checked ? [...c, o.reference] : c.filter((x) => x !== o.reference),
                  )
                }
              />
              {o.name ?? (o.reference === facility ? t('roster.ownFacility') : t('roster.unnamedFacility'))}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${ids}-s`}>{t('roster.start')}</label>
        <DateTimeField id={`${ids}-s`} label={t('roster.start')} value={start} onChange={setStart} />
        <label htmlFor={`${ids}-e`}>{t('roster.end')}</label>
        <DateTimeField id={`${ids}-e`} label={t('roster.end')} value={end} onChange={setEnd} />
        <label htmlFor={`${ids}-n`}>{t('roster.note')}</label>
        <input id={`${ids}-n`} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" style={{ marginTop: 8 }}>
          {t('roster.add')}
        </button>
        {status && <p role="status">{status}</p>}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
