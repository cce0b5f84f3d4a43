import './messages';
import './offline.css';
import { useTranslation } from 'react-i18next';
import { Link } from '../../shell/router';
import { useOutbox, useOutboxSync } from './use-outbox';

/**
 * Above every station screen: "no connection" while offline, how many items wait to send or need
 * the user, and unsent items other users left on this device. Drives the sync (use-outbox).
 */
export function OutboxBanner() {
  const { t } = useTranslation('offline');
  const { online } = useOutboxSync();
  const { items, others } = useOutbox();
  const waiting = items?.filter((i) => i.state === 'waiting').length ?? 0;
  const attention = items?.filter((i) => i.state === 'conflict' || i.state === 'refused').length ?? 0;
  if (online && waiting === 0 && attention === 0 && others === 0) return null;
  return (
    <div role="status" aria-live="polite" className="pending" data-testid="outbox-banner">
      {!online && <p style={{ margin: 0 }}>{t('banner.offline')}</p>}
      {(waiting > 0 || attention > 0) && (
        <p style={{ margin: 0 }}>
          {waiting > 0 && <span>{t('banner.waiting', { count: waiting })}</span>}
          {waiting > 0 && attention > 0 && ' · '}
          {attention > 0 && <strong>{t('banner.attention', { count: attention })}</strong>}{' '}
          <Link to="/station/outbox">{t('banner.open')}</Link>
        </p>
      )}
      {others > 0 && <p style={{ margin: 0 }}>{t('banner.others', { count: others })}</p>}
    </div>
  );
}
