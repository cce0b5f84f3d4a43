import './messages';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { humanName } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { Link } from '../../shell/router';
import { session } from '../../shell/session-store';
import type { PatientLike } from '../patient-view';
import { type KeptPatient, keptPatientsOf } from './outbox';

/** Offline, on the search screen: the station's patients this user opened on this device, "as of". */
export function KeptPatients() {
  const { t, i18n } = useTranslation('offline');
  const [online, setOnline] = useState(() => navigator.onLine);
  const [kept, setKept] = useState<KeptPatient[]>();
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  useEffect(() => {
    const owner = session.claims?.sub;
    if (online || !owner) return;
    keptPatientsOf(owner).then(setKept, () => setKept([]));
  }, [online]);
  if (online || !kept) return null;
  return (
    <section aria-labelledby="kept-h" className="card" data-testid="kept-patients">
      <h2 id="kept-h">{t('kept.heading')}</h2>
      <p>{t('kept.note')}</p>
      {kept.length === 0 && <p>{t('kept.none')}</p>}
      <ul className="plain">
        {kept.map((k) => {
          const p = k.patient as PatientLike;
          return (
            <li key={k.key}>
              <Link to={`/station/patient/${encodeURIComponent(k.id)}`}>
                <strong>{humanName(p)}</strong>
              </Link>{' '}
              · {formatDate(p.birthDate, i18n.language)} · {t('kept.asOf', { at: formatDateTime(k.asOf) })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
