import './messages';
import { useTranslation } from 'react-i18next';
import { AlertsInbox } from '../alerts/AlertsInbox';
import { DutyRoster } from '../alerts/DutyRoster';
import { match } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { DueVaccinations } from './DueVaccinations';
import { PatientPage } from './PatientPage';
import { RegisterPage } from './RegisterPage';
import { SearchPage } from './SearchPage';

/** The commune health station staff's area: find, register, measure, book, join. */
export default function StationArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation('station');
  if (claims.role !== 'clinic-staff') return <p role="alert">{t('onlyStaff')}</p>;
  const search = path.includes('?') ? path.slice(path.indexOf('?')) : '';
  const patient = match('/station/patient/:id', path);
  if (patient) return <PatientPage id={patient.id as string} claims={claims} search={search} />;
  if (match('/station/register', path)) return <RegisterPage claims={claims} />;
  if (match('/station/vaccinations', path)) return <DueVaccinations />;
  if (match('/station/alerts', path)) return <AlertsInbox claims={claims} />;
  if (match('/station/roster', path)) return <DutyRoster claims={claims} />;
  if (match('/station', path)) return <SearchPage search={search} />;
  return <p role="alert">{t('notFound')}</p>;
}
