import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format';
import { useErrorText } from '../shell/async';
import { localHalf } from '../shell/error-codes';
import { type NationalPrescription, nationalPrescriptions } from './prescription';

/** How often, and how many times, the status is asked again on its own while not final. */
export const STATUS_REFRESH_MS = 4000;
export const STATUS_REFRESHES = 6;

const final = (p: NationalPrescription): boolean => p.status === 'issued' || p.status === 'failed';

/**
 * After the visit ends, where each of its national e-prescriptions stands (GET
 * /eprescription/prescriptions?encounter=): queued, sent with its national code, or refused with
 * the system's reasons. Asked again a few times while any is not final, then on request.
 */
export function EPrescriptionStatus({ encounter }: { encounter: string }) {
  const { t, i18n } = useTranslation('visit');
  const errorText = useErrorText();
  const [list, setList] = useState<NationalPrescription[]>();
  const [error, setError] = useState<unknown>();
  const [asked, setAsked] = useState(0);
  const [busy, setBusy] = useState(false);
  const ctrl = useRef<AbortController | undefined>(undefined);

  const load = useCallback(() => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setBusy(true);
    nationalPrescriptions(encounter, c.signal).then(
      (l) => {
        if (c.signal.aborted) return;
        setList(l);
        setError(undefined);
        setBusy(false);
        setAsked((n) => n + 1);
      },
      (e: unknown) => {
        if (c.signal.aborted) return;
        setError(e);
        setBusy(false);
        setAsked((n) => n + 1);
      },
    );
  }, [encounter]);

  useEffect(() => {
    load();
    return () => ctrl.current?.abort();
  }, [load]);

  const settled = list !== undefined && list.length > 0 && list.every(final);
  useEffect(() => {
    if (busy || settled || asked === 0 || asked > STATUS_REFRESHES) return;
    const timer = setTimeout(load, STATUS_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [busy, settled, asked, load]);

  const lang = i18n.language;
  return (
    <section aria-labelledby="rx-status-heading" data-testid="rx-status" className="visit-rx-status">
      <h2 id="rx-status-heading">{t('rx.statusHeading')}</h2>
      {list === undefined && !error && (
        <p role="status" aria-live="polite">
          {t('rx.statusLoading')}
        </p>
      )}
      {list !== undefined && list.length === 0 && (
        <p role="status" aria-live="polite" data-testid="rx-status-none">
          {asked > STATUS_REFRESHES ? t('rx.statusNotYet') : t('rx.statusRecording')}
        </p>
      )}
      {list !== undefined && list.length > 0 && (
        <ul aria-live="polite" style={{ paddingLeft: 20 }}>
          {list.map((p) => (
            <li key={p.code} data-testid="rx-status-item" data-status={p.status}>
              {p.status === 'issued' ? (
                <p>
                  <strong>{t('rx.issued')}</strong> — {t('rx.nationalCode')}: <code>{p.code}</code>
                  {p.issuedAt && ` · ${formatTime(p.issuedAt, lang)}`}
                </p>
              ) : p.status === 'failed' ? (
                <>
                  <p>
                    <strong style={{ color: '#b3261e' }}>{t('rx.failed')}</strong> ({t('rx.nationalCode')}:{' '}
                    <code>{p.code}</code>)
                  </p>
                  {p.reasons.length > 0 && (
                    <ul role="alert">
                      {p.reasons.map((r) => (
                        <li key={r}>{localHalf(r, lang)}</li>
                      ))}
                    </ul>
                  )}
                </>
              ) : (
                <p>
                  <strong>{t('rx.queued')}</strong>
                  {p.attempts > 0 && ` — ${t('rx.attempts', { count: p.attempts })}`}
                  {p.reasons.length > 0 && ` (${localHalf(p.reasons[p.reasons.length - 1]!, lang)})`}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {!settled && (
        <button type="button" onClick={load} disabled={busy}>
          {busy ? t('rx.statusChecking') : t('rx.statusRefresh')}
        </button>
      )}
    </section>
  );
}
