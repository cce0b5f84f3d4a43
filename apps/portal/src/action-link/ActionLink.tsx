import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTime } from '../format';
import { errorCodeKey } from '../shell/error-codes';
import {
  actOnLink,
  type LinkAction,
  linkErrorCode,
  type LinkPreview,
  previewLink,
  tokenFromHash,
} from './action-link-api';
import './messages';

/** Buttons side by side with room between them, wrapping on a narrow phone. */
const BUTTONS = { display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'center' } as const;

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; preview: LinkPreview }
  | { kind: 'done'; action: LinkAction; preview: LinkPreview }
  | { kind: 'refused'; code: string }
  | { kind: 'failed'; preview?: LinkPreview };

const KNOWN = new Set([
  'SCHEDULING.LINK_NOT_FOUND',
  'SCHEDULING.LINK_USED',
  'SCHEDULING.LINK_EXPIRED',
  'SCHEDULING.LINK_APPOINTMENT_CLOSED',
  'SCHEDULING.LINK_ACTION',
  'TOO_MANY_REQUESTS',
]);

/**
 * The page of an appointment action link `/a#<token>` (docs/scheduling.md "Action links"): no
 * sign-in; it shows the appointment's time (never its reason) and Confirm / Cancel. Opening it
 * spends nothing (the token stays in the fragment and is posted only to preview); a button does.
 */
export function ActionLink() {
  const { t } = useTranslation('actionLink');
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const refusedOr = (err: unknown, preview?: LinkPreview): State => {
    const code = linkErrorCode(err);
    return code && KNOWN.has(code) ? { kind: 'refused', code } : { kind: 'failed', preview };
  };

  const load = () => {
    if (!token) return;
    setState({ kind: 'loading' });
    previewLink(token)
      .then((preview) => setState({ kind: 'ready', preview }))
      .catch((err: unknown) => setState(refusedOr(err)));
  };
  useEffect(load, [token]);

  const act = (action: LinkAction, preview: LinkPreview) => {
    if (!token) return;
    setBusy(true);
    actOnLink(token, action)
      .then((done) => setState({ kind: 'done', action, preview: done }))
      .catch((err: unknown) => setState(refusedOr(err, preview)))
      .finally(() => {
        setBusy(false);
        setAsking(false);
      });
  };

  const when = (p: LinkPreview) => (
    <dl className="action-link-facts">
      <dt>{t('when')}</dt>
      <dd data-testid="action-link-time">
        {formatDateTime(p.appointment.start)} – {formatTime(p.appointment.end)}
      </dd>
      <dt>{t('status')}</dt>
      <dd>{t(`status_${p.appointment.status}`, { defaultValue: p.appointment.status })}</dd>
    </dl>
  );

  return (
    <section className="action-link" aria-busy={state.kind === 'loading'}>
      <h1>{t('title')}</h1>
      {!token ? (
        <p role="alert">{t('noToken')}</p>
      ) : state.kind === 'loading' ? (
        <p>{t('loading')}</p>
      ) : state.kind === 'refused' ? (
        <p role="alert" data-testid="action-link-refused" data-code={state.code}>
          {state.code === 'TOO_MANY_REQUESTS'
            ? t('TOO_MANY_REQUESTS')
            : t(errorCodeKey(state.code), { ns: 'errorCodes' })}
        </p>
      ) : state.kind === 'done' ? (
        <>
          <p role="status" data-testid="action-link-done">
            {t(state.action === 'confirm' ? 'confirmed' : 'cancelled')}
          </p>
          {when(state.preview)}
        </>
      ) : state.kind === 'failed' ? (
        <>
          <p role="alert">{t('failed')}</p>
          <button type="button" onClick={load}>
            {t('retry')}
          </button>
        </>
      ) : (
        <>
          {when(state.preview)}
          <p>{t('question')}</p>
          {asking ? (
            <div role="group" aria-label={t('cancel')}>
              <p>{t('cancelSure')}</p>
              <div className="action-link-buttons" style={BUTTONS}>
                <button type="button" disabled={busy} onClick={() => act('cancel', state.preview)}>
                  {busy ? t('working') : t('cancelYes')}
                </button>
                <button type="button" disabled={busy} onClick={() => setAsking(false)}>
                  {t('cancelNo')}
                </button>
              </div>
            </div>
          ) : (
            <div className="action-link-buttons" style={BUTTONS}>
              {state.preview.offers.includes('confirm') && (
                <button type="button" disabled={busy} onClick={() => act('confirm', state.preview)}>
                  {busy ? t('working') : t('confirm')}
                </button>
              )}
              {state.preview.offers.includes('cancel') && (
                <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(true)}>
                  {t('cancel')}
                </button>
              )}
            </div>
          )}
          <p>{t('signInHint')}</p>
        </>
      )}
    </section>
  );
}

export default ActionLink;
