import './messages';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Asked before signing out while items wait on this device: stay (and send later), or remove them
 * and sign out. No default: Escape and the first focus keep the user here.
 */
export function SignOutDialog({
  count,
  onChoose,
}: {
  count: number;
  onChoose: (c: 'stay' | 'discard') => void;
}) {
  const { t } = useTranslation('offline');
  const stayRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    stayRef.current?.focus();
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onChoose('stay');
    };
    document.addEventListener('keydown', key);
    return () => document.removeEventListener('keydown', key);
  }, [onChoose]);
  return (
    <div className="signout-backdrop">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="signout-h"
        aria-describedby="signout-text"
        className="card signout-dialog"
      >
        <h2 id="signout-h" style={{ marginTop: 0 }}>
          {t('signOut.heading')}
        </h2>
        <p id="signout-text">{t('signOut.text', { count })}</p>
        <div className="outbox-actions">
          <button type="button" ref={stayRef} onClick={() => onChoose('stay')}>
            {t('signOut.stay')}
          </button>
          <button type="button" className="danger" onClick={() => onChoose('discard')}>
            {t('signOut.discard')}
          </button>
        </div>
      </div>
    </div>
  );
}
