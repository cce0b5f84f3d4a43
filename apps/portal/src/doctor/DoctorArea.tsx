import { useTranslation } from 'react-i18next';
import { AlertsInbox } from '../alerts/AlertsInbox';
import type { Claims } from '../shell/session-store';
import { Availability } from './Availability';
import { Today } from './Today';
import './doctor.css';
import './messages';

/**
 * The doctor's area: `/doctor` (today's schedule and waiting room), `/doctor/availability`,
 * `/doctor/alerts` (the NEWS2 alerts sent to them: acknowledge, allow a video booking).
 */
export default function DoctorArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation();
  const route = (path.split('?')[0] ?? '').replace(/\/$/, '');
  if (route === '/doctor') return <Today claims={claims} />;
  if (route === '/doctor/availability') return <Availability claims={claims} />;
  if (route === '/doctor/alerts') return <AlertsInbox claims={claims} />;
  return <p role="alert">{t('notFoundPage')}</p>;
}
