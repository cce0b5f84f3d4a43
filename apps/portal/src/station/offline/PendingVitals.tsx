import './messages';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { useOutbox } from './use-outbox';

/** On a patient's vitals form: the sets of this patient still waiting on this device, if any. */
export function PendingVitals({ patientId, queued }: { patientId?: string; queued?: string }) {
  const { t } = useTranslation('offline');
  const { items } = useOutbox();
  const mine = (items ?? []).filter(
    (i) =>
      i.kind === 'vitals' &&
      i.state !== 'sent' &&
      i.patient !== undefined &&
      ('queued' in i.patient ? i.patient.queued === queued : i.patient.id === patientId),
  );
  if (mine.length === 0) return null;
  const last = mine[mine.length - 1];
  return (
    <p className="pending" data-testid="pending-vitals">
      {t('pendingVitals', { count: mine.length, at: formatDateTime(last?.capturedAt) })}
    </p>
  );
}
