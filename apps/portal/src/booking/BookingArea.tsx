/**
 * The booking area: /appointments (my appointments and reminders), /appointments/book (find a
 * doctor and book; station staff add ?patient=ID) and /appointments/:id/check (device check).
 */
import { useTranslation } from 'react-i18next';
import { match, navigate } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { BookForPatient } from './BookForPatient';
import { DeviceCheck } from './DeviceCheck';
import { MyAppointments } from './MyAppointments';
import './messages';

export default function BookingArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation('booking');
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  const check = match('/appointments/:id/check', path);
  if (check) return <DeviceCheck appointmentId={check.id as string} />;
  if (match('/appointments/book', path)) {
    const patientId = claims.role === 'patient' ? claims.patient : (query.get('patient') ?? undefined);
    if (!patientId)
      return (
        <p role="alert" className="error">
          {claims.role === 'patient' ? t('noPatient') : t('needPatient')}
        </p>
      );
    // The screen's one h1 (the symptom check and the search below are its h2 sections).
    return (
      <>
        <h1>{t('nav.book', { ns: 'common' })}</h1>
        <BookForPatient
          key={patientId}
          patientId={patientId}
          onBooked={(id, status) => {
            if (claims.role === 'patient')
              navigate(
                `/appointments?booked=${encodeURIComponent(id)}${status === 'pending' ? '&waiting=1' : ''}`,
              );
          }}
        />
      </>
    );
  }
  if (match('/appointments', path)) {
    if (!claims.patient)
      return (
        <p role="alert" className="error">
          {t('noPatient')}
        </p>
      );
    return (
      <MyAppointments
        patientId={claims.patient}
        bookedId={query.get('booked') ?? undefined}
        waiting={query.get('waiting') === '1'}
      />
    );
  }
  return <p role="alert">{t('notFound')}</p>;
}
