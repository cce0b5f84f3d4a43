import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { navigate } from './router';
import { type Claims, type Dependent, session } from './session-store';

/** "My child's record: name (born …)", as the sign-in choice and the switcher name a child. */
export function useChildLabel(): (d: Dependent) => string {
  const { t, i18n } = useTranslation();
  return (d) =>
    t('whose.child', {
      name: d.name ?? d.patient,
      born: d.birthDate ? formatDate(d.birthDate, i18n.language) : '—',
    });
}

/**
 * For a parent linked to children: whose record is open, and a switch to another (their own or a
 * child's) without signing in again. Nothing for anyone else.
 */
export function RecordSwitcher({ claims }: { claims: Claims }) {
  const { t } = useTranslation();
  const childLabel = useChildLabel();
  const [dependents, setDependents] = useState<Dependent[]>([]);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void session.dependents().then((d) => live && setDependents(d));
    return () => {
      live = false;
    };
  }, [claims.sub]);
  const own = claims.fhirUser?.startsWith('Patient/') ? claims.fhirUser.slice('Patient/'.length) : undefined;
  if (dependents.length === 0 || !own) return null;

  const open = (patient: string) => {
    setBusy(true);
    setFailed(false);
    session
      .switchPatient(patient)
      .then(() => navigate('/record'))
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };
  return (
    <span className="switcher">
      <label>
        {t('whose.open')}{' '}
        <select value={claims.patient ?? own} disabled={busy} onChange={(e) => open(e.target.value)}>
          <option value={own}>{t('whose.mine')}</option>
          {dependents.map((d) => (
            <option key={d.patient} value={d.patient}>
              {childLabel(d)}
            </option>
          ))}
        </select>
      </label>
      {failed && <span role="alert"> {t('whose.failed')}</span>}
    </span>
  );
}
