import { useTranslation } from 'react-i18next';
import type { Claims } from '../shell/session-store';
import { Availability } from './Availability';
import { Today } from './Today';
import './doctor.css';
import './messages';

/** The doctor's area: `/doctor` (today's schedule and waiting room), `/doctor/availability`. */
export default function DoctorArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation();
  const route = (path.split('?')[0] ?? '').replace(/\/$/, '');
  if (route === '/doctor') return <Today claims={claims} />;
  if (route === '/doctor/availability') return <Availability claims={claims} />;
  return <p role="alert">{t('notFoundPage')}</p>;
}
