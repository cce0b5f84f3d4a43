import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { navigate } from './router';
import { type Claims, type Dependent, session } from './session-store';
import { loadUserName } from './UserName';

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
  const id = useId();
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
    // The header's name, read while the token can still read the parent's own Patient: the
    // child's token may not (UserName keeps it for the session).
    loadUserName(claims.fhirUser)
      .then(() => session.switchPatient(patient))
      .then(() => navigate('/record'))
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };
  const current = claims.patient ?? own;
  const choices = [
    { patient: own, label: t('whose.mine') },
    ...dependents.map((d) => ({ patient: d.patient, label: childLabel(d) })),
  ];
  // Buttons, not a <select>: a child's name and birth date wrap on a 360 px phone instead of being
  // cut off in a closed select (issue 18 item 17).
  return (
    <div className="switcher" role="group" aria-labelledby={`${id}-l`} style={{ flexBasis: '100%' }}>
      <span id={`${id}-l`}>{t('whose.open')}</span>
      {choices.map((c) => (
        <button
          key={c.patient}
          type="button"
          className={c.patient === current ? undefined : 'secondary'}
          aria-pressed={c.patient === current}
          disabled={busy}
          style={{ whiteSpace: 'normal', textAlign: 'left', maxWidth: '100%' }}
          onClick={() => c.patient !== current && open(c.patient)}
        >
          {c.label}
        </button>
      ))}
      {failed && <span role="alert"> {t('whose.failed')}</span>}
    </div>
  );
}
