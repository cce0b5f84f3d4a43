import './messages';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertsInbox } from '../alerts/AlertsInbox';
import { DutyRoster } from '../alerts/DutyRoster';
import { match } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { DueVaccinations } from './DueVaccinations';
import { InsuranceClaim } from './InsuranceClaim';
import { InsuranceClaims } from './InsuranceClaims';
import { OutboxBanner } from './offline/OutboxBanner';
import { OutboxPage } from './offline/OutboxPage';
import { QueuedPatientPage } from './offline/QueuedPatientPage';
import { registerStationWorker } from './offline/service-worker';
import { PatientPage } from './PatientPage';
import { RegisterPage } from './RegisterPage';
import { SearchPage } from './SearchPage';

/**
 * The commune health station staff's area: find, register, measure, book, join — and keep working
 * offline (the outbox banner above every screen; the service worker keeps the shell).
 */
export default function StationArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation('station');
  const staff = claims.role === 'clinic-staff';
  useEffect(() => {
    if (staff) registerStationWorker();
  }, [staff]);
  if (!staff) return <p role="alert">{t('onlyStaff')}</p>;
  return (
    <>
      <OutboxBanner />
      <StationScreen path={path} claims={claims} />
    </>
  );
}

function StationScreen({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation('station');
  const search = path.includes('?') ? path.slice(path.indexOf('?')) : '';
  const queued = match('/station/queued/:id', path);
  if (queued) return <QueuedPatientPage id={queued.id as string} claims={claims} />;
  if (match('/station/outbox', path)) return <OutboxPage />;
  const patient = match('/station/patient/:id', path);
  if (patient) return <PatientPage id={patient.id as string} claims={claims} search={search} />;
  if (match('/station/register', path)) return <RegisterPage claims={claims} />;
  if (match('/station/vaccinations', path)) return <DueVaccinations />;
  const claim = match('/station/claims/:encounterId', path);
  if (claim) return <InsuranceClaim encounterId={claim.encounterId as string} />;
  if (match('/station/claims', path)) return <InsuranceClaims search={search} />;
  if (match('/station/alerts', path)) return <AlertsInbox claims={claims} />;
  if (match('/station/roster', path)) return <DutyRoster claims={claims} />;
  if (match('/station', path)) return <SearchPage search={search} />;
  return <p role="alert">{t('notFound')}</p>;
}
