import { useTranslation } from 'react-i18next';
import { AlertsInbox } from '../alerts/AlertsInbox';
import { CaseScreen } from '../econsult/CaseScreen';
import { Worklist } from '../econsult/Worklist';
import { match } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { Availability } from './Availability';
import { Today } from './Today';
import './doctor.css';
import './messages';

/**
 * The doctor's area: `/doctor` (today's schedule and waiting room), `/doctor/availability`,
 * `/doctor/alerts` (the NEWS2 alerts sent to them: acknowledge, allow a video booking),
 * `/doctor/econsult` (the e-consult worklist) and `/doctor/econsult/:id` (a case: take it, reply).
 */
export default function DoctorArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation();
  const route = (path.split('?')[0] ?? '').replace(/\/$/, '');
  if (route === '/doctor') return <Today claims={claims} />;
  if (route === '/doctor/availability') return <Availability claims={claims} />;
  if (route === '/doctor/alerts') return <AlertsInbox claims={claims} />;
  if (route === '/doctor/econsult') return <Worklist claims={claims} />;
  const econsultCase = match('/doctor/econsult/:id', route);
  if (econsultCase) return <CaseScreen id={econsultCase.id as string} claims={claims} />;
  return <p role="alert">{t('notFoundPage')}</p>;
}
