import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import '../alerts/messages';
import '../record/scale2-messages';
import { isAlert, type News2Summary } from './news2-response';

/** What the panel shows: the server's NEWS2 of the saved vitals, or why there is none. */
export type News2State =
  | { kind: 'checking' }
  | { kind: 'none' }
  | { kind: 'unavailable' }
  | ({ kind: 'score'; routing?: News2Routing } & News2Summary);

/** Who the server called for this alert (GET /care/alerts): the on-call doctors' names, or nobody. */
export interface News2Routing {
  onCall: string[];
  /** A referral hospital is recorded (its staff were alerted when nobody was on call). */
  hospital: boolean;
}

/**
 * The NEWS2 score of the vitals just saved and the response RCP Chart 4 requires, in words and
 * colour; an alerting response is announced (role="alert").
 */
export function News2Panel({ state }: { state: News2State }) {
  const { t } = useTranslation('station');
  const box = useRef<HTMLDivElement>(null);
  // On a phone the saved form is long: bring the whole result into view where the nurse looks.
  // A block body: newer Chromium answers scrollIntoView with a Promise, which React would take for
  // the effect's cleanup function (and crash when the state changes again).
  // Whatever settles above it afterwards (a status line, a list that loads) would push it out of
  // view again (found by CI at 360 px): for a moment, it is kept in view as the page changes size.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const keep = () => void el.scrollIntoView?.({ block: 'nearest' });
    keep();
    const watch = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(keep);
    watch?.observe(document.body);
    const stop = setTimeout(() => watch?.disconnect(), 1500);
    return () => {
      clearTimeout(stop);
      watch?.disconnect();
    };
  }, [state]);
  if (state.kind === 'checking')
    return (
      <p role="status" className="news2-muted">
        {t('news2.checking')}
      </p>
    );
  if (state.kind === 'none' || state.kind === 'unavailable')
    return (
      <p role="status" className="news2-muted">
        {t(`news2.${state.kind}`)}
      </p>
    );
  const { score, response, scale, routing } = state;
  const alert = isAlert(response);
  return (
    <div
      ref={box}
      role={alert ? 'alert' : 'status'}
      className={`news2 news2-${response ?? 'unknown'}`}
      data-testid="news2"
    >
      <p className="news2-head">
        <strong>{score !== undefined ? t('news2.score', { score }) : t('news2.incomplete')}</strong>
        {response && <span className="news2-title">{t(`news2.title.${response}`)}</span>}
      </p>
      {response && <p>{t(`news2.text.${response}`)}</p>}
      {score === undefined && <p>{t('news2.missing')}</p>}
      {scale && (
        <p className="news2-scale" data-testid="news2-scale">
          {t(scale === 2 ? 'scale2' : 'scale1', { ns: 'scale2' })}
        </p>
      )}
      {alert && <p className="news2-sent">{t('news2.alerted')}</p>}
      {alert && routing && (
        <p className="news2-sent" data-testid="news2-routing">
          {routing.onCall.length > 0
            ? t('inbox.onCall', { ns: 'alerts', names: routing.onCall.join(', ') })
            : t(routing.hospital ? 'inbox.noOnCall' : 'inbox.noOnCallNoHospital', { ns: 'alerts' })}
        </p>
      )}
      <p className="news2-source">{t('news2.source')}</p>
    </div>
  );
}
