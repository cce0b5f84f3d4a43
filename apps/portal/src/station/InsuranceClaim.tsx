import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format';
import { useAsync, useErrorText } from '../shell/async';
import { localHalf } from '../shell/error-codes';
import { Link } from '../shell/router';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { ClaimReasons } from './ClaimReasons';
import { ClaimStatusBadge } from './ClaimStatusBadge';
import {
  canResend,
  type ClaimDetail,
  hasNote,
  idOf,
  inProgress,
  loadClaim,
  notConfigured,
  resendClaim,
} from './insurance-claims';
import { ClaimNote } from './InsuranceClaims';
import './messages';

/** How many times a claim waiting or being sent is read again by itself (then the reload button). */
const MAX_POLLS = 20;

const fact = (label: string, value: ReactNode, live = false) => (
  <div>
    <dt style={{ display: 'inline', fontWeight: 600 }}>{label}: </dt>
    <dd style={{ display: 'inline', margin: 0 }} aria-live={live ? 'polite' : undefined}>
      {value}
    </dd>
  </div>
);

/**
 * `/station/claims/:encounterId`: one claim — its status and reasons, the visit's check-in, every
 * submission to the gateway, the correction deadline — and "Resend" while it may be corrected.
 * A failed read or resend says so with a retry; what was shown stays on the screen.
 */
export function InsuranceClaim({
  encounterId,
  pollMs = 3000,
  now = () => new Date(),
}: {
  encounterId: string;
  /** While the claim waits or is being sent, it is read again this often. */
  pollMs?: number;
  now?: () => Date;
}) {
  const { t } = useTranslation('station');
  const tc = useTranslation().t;
  const errorText = useErrorText();
  const ids = useId();
  const state = useAsync(() => loadClaim(encounterId), [encounterId]);
  const [sending, setSending] = useState(false);
  const [resent, setResent] = useState(false);
  const [resendError, setResendError] = useState<unknown>();
  const polls = useRef(0);
  const claim = state.data?.claim;
  const reload = state.reload;

  // A claim on its way is read again until the gateway has answered (a bounded number of times).
  const waiting = !!claim && inProgress(claim) && !state.loading && state.error === undefined;
  useEffect(() => {
    if (!waiting || polls.current >= MAX_POLLS) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      reload();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [waiting, claim, pollMs, reload]);

  const resend = async (): Promise<void> => {
    setSending(true);
    setResendError(undefined);
    try {
      await resendClaim(encounterId);
      setResent(true);
      polls.current = 0;
    } catch (e) {
      setResendError(e);
    } finally {
      setSending(false);
    }
    // Its status may have changed either way (queued now, or already on its way, or past its deadline).
    reload();
  };

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('claims.detailHeading')}</h1>
      <div aria-busy={state.loading && !claim}>
        {state.error !== undefined && (
          <div role="alert" className="error">
            <p>{errorText(state.error)}</p>
            <button type="button" onClick={reload}>
              {tc('retry')}
            </button>
          </div>
        )}
        {!claim && state.error === undefined && (
          <p role="status" aria-live="polite">
            {tc('loading')}
          </p>
        )}
        {claim && (
          <Detail
            claim={claim}
            name={state.data?.name}
            ids={ids}
            resend={
              <Resend
                claim={claim}
                canSend={canResend(claim, now())}
                sending={sending}
                resent={resent && (state.loading || inProgress(claim))}
                error={resendError === undefined ? undefined : errorText(resendError)}
                onResend={() => void resend()}
                onRefresh={reload}
              />
            }
          />
        )}
      </div>
      <p>
        <Link to="/station/claims">{t('claims.back')}</Link>
      </p>
    </section>
  );
}

function Detail({
  claim: c,
  name,
  ids,
  resend,
}: {
  claim: ClaimDetail;
  name?: string;
  ids: string;
  resend: ReactNode;
}) {
  const { t, i18n } = useTranslation('station');
  const ci = c.checkIn;
  return (
    <>
      <div className="card">
        <dl style={{ margin: 0 }}>
          {fact(
            t('claims.patient'),
            name ?? t('claims.patientNotReadable', { id: idOf(c.patient).slice(0, 8) }),
          )}
          {fact(t('claims.finished'), formatDateTime(c.finishedAt))}
          {c.maLk && fact(t('claims.maLk'), <span className="stack-id">{c.maLk}</span>)}
          {fact(t('claims.status'), <ClaimStatusBadge status={c.status} />, true)}
          {fact(t('claims.attempts'), c.attempts)}
          {fact(t('claims.updated'), formatDateTime(c.updatedAt))}
          {fact(t('claims.correctableUntil'), formatDateTime(c.correctableUntil))}
        </dl>
        {hasNote(c) && (
          <div style={{ marginTop: 8 }}>
            <p style={{ fontWeight: 600, margin: '0 0 4px' }}>{t('claims.reasons')}:</p>
            <ClaimNote claim={c} />
          </div>
        )}
        {c.lastError && !notConfigured(c.lastError) && (
          <details style={{ marginTop: 8 }}>
            <summary>{t('claims.technical')}</summary>
            <code>{c.lastError}</code>
          </details>
        )}
      </div>
      {resend}
      <section aria-labelledby={`${ids}-ci`} className="card">
        <h2 id={`${ids}-ci`} style={{ marginTop: 0 }}>
          {t('claims.checkIn.heading')}
        </h2>
        {!ci ? (
          <p>{t('claims.checkIn.none')}</p>
        ) : (
          <>
            <dl style={{ margin: 0 }}>
              {fact(t('claims.status'), <ClaimStatusBadge status={ci.status} />)}
              {fact(t('claims.checkIn.started'), formatDateTime(ci.startedAt))}
              {fact(t('claims.attempts'), ci.attempts)}
              {ci.transactionId &&
                fact(t('claims.checkIn.transaction'), <span className="stack-id">{ci.transactionId}</span>)}
            </dl>
            {ci.status === 'not-applicable' && <p>{t('claims.checkIn.notApplicable')}</p>}
            {ci.reasons.length > 0 && <ClaimReasons reasons={ci.reasons} />}
            {ci.note && ci.status !== 'not-applicable' && (
              <p>
                {notConfigured(ci.note) ? (
                  t('claims.notConfigured')
                ) : (
                  <>
                    {t('claims.technical')}: <code>{ci.note}</code>
                  </>
                )}
              </p>
            )}
          </>
        )}
      </section>
      <section aria-labelledby={`${ids}-sub`}>
        <h2 id={`${ids}-sub`}>{t('claims.submissions.heading')}</h2>
        {c.submissions.length === 0 ? (
          <p>{t('claims.submissions.none')}</p>
        ) : (
          <StackTable
            testId="claim-submissions"
            caption={t('claims.submissions.caption')}
            columns={[
              t('claims.submissions.attempt'),
              t('claims.submissions.sentAt'),
              t('claims.submissions.outcome'),
              t('claims.submissions.transaction'),
              t('claims.submissions.message'),
            ]}
          >
            {c.submissions.map((s) => (
              <StackRow key={s.attempt}>
                <StackCell label={t('claims.submissions.attempt')}>{s.attempt}</StackCell>
                <StackCell label={t('claims.submissions.sentAt')} className="nowrap">
                  {formatDateTime(s.sentAt)}
                </StackCell>
                <StackCell label={t('claims.submissions.outcome')}>
                  {t(`claims.submissions.outcomes.${s.outcome}`)}
                </StackCell>
                <StackCell label={t('claims.submissions.transaction')}>
                  {s.transactionId ? <span className="stack-id">{s.transactionId}</span> : '—'}
                </StackCell>
                <StackCell label={t('claims.submissions.message')}>
                  {s.message ? localHalf(s.message, i18n.language) : '—'}
                </StackCell>
              </StackRow>
            ))}
          </StackTable>
        )}
      </section>
    </>
  );
}

function Resend({
  claim,
  canSend,
  sending,
  resent,
  error,
  onResend,
  onRefresh,
}: {
  claim: ClaimDetail;
  canSend: boolean;
  sending: boolean;
  resent: boolean;
  error?: string;
  onResend: () => void;
  onRefresh: () => void;
}) {
  const { t } = useTranslation('station');
  const ids = useId();
  const busy = inProgress(claim);
  const message = resent ? t('claims.queued') : busy ? t('claims.inProgress') : '';
  return (
    <section aria-labelledby={`${ids}-h`} className="card">
      <h2 id={`${ids}-h`} style={{ marginTop: 0 }}>
        {t('claims.resendHeading')}
      </h2>
      {canSend && <p id={`${ids}-hint`}>{t('claims.resendHint')}</p>}
      {!canSend && !busy && <p>{t('claims.windowClosed')}</p>}
      <p role="status" style={message ? undefined : { margin: 0 }}>
        {message}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {canSend && (
          <button type="button" onClick={onResend} disabled={sending} aria-describedby={`${ids}-hint`}>
            {sending ? t('claims.resending') : t('claims.resend')}
          </button>
        )}
        <button type="button" className="secondary" onClick={onRefresh}>
          {t('claims.refresh')}
        </button>
      </div>
    </section>
  );
}
