import './messages';
import './offline.css';
import { useTranslation } from 'react-i18next';
import { humanName } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { Link, navigate } from '../../shell/router';
import type { Claims } from '../../shell/session-store';
import { useEffect } from 'react';
import type { PatientLike } from '../patient-view';
import { VitalsForm } from '../VitalsForm';
import { useOutbox } from './use-outbox';

/**
 * `/station/queued/:id`: a patient registered on this device whose registration waits to be sent.
 * Vitals recorded here wait for it in the outbox. Once it is on the server, the patient's own page
 * opens instead.
 */
export function QueuedPatientPage({ id, claims }: { id: string; claims: Claims }) {
  const { t } = useTranslation('offline');
  const { t: ts, i18n } = useTranslation('station');
  const { items } = useOutbox();
  const item = items?.find((i) => i.id === id && i.kind === 'register');
  const serverId = item?.serverId;
  useEffect(() => {
    if (serverId) navigate(`/station/patient/${encodeURIComponent(serverId)}`, true);
  }, [serverId]);
  if (items === undefined) return <p role="status">{ts('loading', { ns: 'common' })}</p>;
  if (!item)
    return (
      <p role="alert" className="error">
        {t('queued.notFound')}
      </p>
    );
  const patient = item.resources[0] as PatientLike;
  return (
    <>
      <p>
        <Link to="/station">{ts('patient.back')}</Link>
      </p>
      <section aria-labelledby="queued-h" className="card">
        <h1 id="queued-h" style={{ marginTop: 0 }}>
          {humanName(patient) || ts('patient.noName')}
        </h1>
        <p
          role="status"
          className={item.state === 'waiting' ? 'pending' : 'error'}
          data-testid="queued-state"
        >
          {item.state === 'waiting' ? t('queued.saved') : t(`outbox.state.${item.state}`)}
        </p>
        <p>{t('outbox.captured', { at: formatDateTime(item.capturedAt) })}</p>
        <dl>
          {patient.birthDate && (
            <div>
              <dt style={{ display: 'inline', fontWeight: 600 }}>{ts('patient.birthDate')}: </dt>
              <dd style={{ display: 'inline', margin: 0 }}>{formatDate(patient.birthDate, i18n.language)}</dd>
            </div>
          )}
          {patient.gender && (
            <div>
              <dt style={{ display: 'inline', fontWeight: 600 }}>{ts('patient.sex')}: </dt>
              <dd style={{ display: 'inline', margin: 0 }}>{ts(`gender.${patient.gender}`)}</dd>
            </div>
          )}
        </dl>
        <p>
          <Link to="/station/outbox">{t('banner.open')}</Link>
        </p>
      </section>
      <VitalsForm queued={id} label={humanName(patient)} performer={claims.fhirUser} />
    </>
  );
}
