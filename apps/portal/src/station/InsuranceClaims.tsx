import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link, navigate } from '../shell/router';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { ClaimReasons } from './ClaimReasons';
import { ClaimStatusBadge } from './ClaimStatusBadge';
import {
  CLAIM_FILTERS,
  type ClaimFilter,
  type ClaimView,
  claimHref,
  idOf,
  inFilter,
  isClaimFilter,
  hasNote,
  loadClaims,
  showsReasons,
} from './insurance-claims';
import './messages';

/** The filter of `/station/claims?show=…` (kept in the address: back from a claim, the same list). */
export const filterOf = (search: string): ClaimFilter => {
  const v = new URLSearchParams(search).get('show');
  return isClaimFilter(v) ? v : 'all';
};

/**
 * `/station/claims`: the facility's insurance claims, newest visit first, filtered by what needs
 * doing; each with its patient's name, the visit's end, the status in words and, when the gateway
 * refused it or it could not be made, the reasons with their fields.
 */
export function InsuranceClaims({ search = '' }: { search?: string }) {
  const { t } = useTranslation('station');
  const ids = useId();
  const filter = filterOf(search);
  const state = useAsync(loadClaims, []);

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('claims.heading')}</h1>
      <p>{t('claims.intro')}</p>
      <div aria-busy={state.loading}>
        <AsyncView state={state}>
          {({ claims, names }) => {
            if (claims.length === 0) return <p role="status">{t('claims.none')}</p>;
            const shown = claims.filter((c) => inFilter(c, filter));
            return (
              <>
                <fieldset className="card claims-filter" aria-describedby={`${ids}-fh`}>
                  <legend>{t('claims.filter')}</legend>
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 20px' }}>
                    {CLAIM_FILTERS.map((f) => (
                      <label key={f} style={{ display: 'flex', alignItems: 'center', fontWeight: 400 }}>
                        <input
                          type="radio"
                          name={`${ids}-filter`}
                          value={f}
                          checked={filter === f}
                          onChange={() =>
                            navigate(f === 'all' ? '/station/claims' : `/station/claims?show=${f}`, true)
                          }
                        />
                        {t(`claims.filters.${f}`, { n: claims.filter((c) => inFilter(c, f)).length })}
                      </label>
                    ))}
                  </div>
                  <small id={`${ids}-fh`} style={{ display: 'block' }}>
                    {t('claims.filterHint')}
                  </small>
                </fieldset>
                {shown.length === 0 ? (
                  <p role="status">{t('claims.noneHere')}</p>
                ) : (
                  <>
                    <p role="status">{t('claims.count', { n: shown.length })}</p>
                    <StackTable
                      testId="insurance-claims"
                      caption={t('claims.caption')}
                      columns={[
                        t('claims.patient'),
                        t('claims.finished'),
                        t('claims.status'),
                        t('claims.reasons'),
                      ]}
                    >
                      {shown.map((c) => (
                        <ClaimRow key={c.encounter} claim={c} name={names.get(idOf(c.patient))} />
                      ))}
                    </StackTable>
                  </>
                )}
              </>
            );
          }}
        </AsyncView>
      </div>
    </section>
  );
}

function ClaimRow({ claim: c, name }: { claim: ClaimView; name?: string }) {
  const { t } = useTranslation('station');
  // A claim of the facility whose patient's record this user may not read: say so, not a bare id.
  const who = name ?? t('claims.patientNotReadable', { id: idOf(c.patient ?? c.encounter).slice(0, 8) });
  const when = formatDateTime(c.finishedAt);
  return (
    <StackRow>
      <StackCell label={t('claims.patient')}>
        <Link to={claimHref(c)} aria-label={t('claims.open', { name: who, when })}>
          {name ?? <span className="stack-id">{who}</span>}
        </Link>
      </StackCell>
      <StackCell label={t('claims.finished')} className="nowrap">
        {when}
      </StackCell>
      <StackCell label={t('claims.status')}>
        <ClaimStatusBadge status={c.status} />
      </StackCell>
      <StackCell label={t('claims.reasons')}>
        <ClaimNote claim={c} />
      </StackCell>
    </StackRow>
  );
}

/** What to say of a claim beside its status: its reasons, why it failed or why it waits. */
export function ClaimNote({ claim: c }: { claim: ClaimView }) {
  const { t } = useTranslation('station');
  if (!hasNote(c)) return <span aria-hidden="true">—</span>;
  if (showsReasons(c) && c.reasons.length > 0) return <ClaimReasons reasons={c.reasons} />;
  if (c.status === 'failed') return <>{t('claims.failedHint', { n: c.attempts })}</>;
  return <>{t('claims.notConfigured')}</>;
}
