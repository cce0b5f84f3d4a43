import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName } from '../api';
import type { Claims } from './session-store';

/** Names already looked up, by fhirUser: fetched once a session, not on every screen. */
const names = new Map<string, Promise<string>>();

/** The signed-in person's name from their own Patient or Practitioner resource ('' if none). */
export function loadUserName(fhirUser: string | undefined): Promise<string> {
  const m = /^(Patient|Practitioner)\/([^/]+)$/.exec(fhirUser ?? '');
  if (!m) return Promise.resolve('');
  let name = names.get(fhirUser as string);
  if (!name) {
    name = fhir.read<{ name?: { text?: string; family?: string; given?: string[] }[] }>(m[1]!, m[2]!).then(
      (r) => humanName(r),
      () => {
        names.delete(fhirUser as string);
        return '';
      },
    );
    names.set(fhirUser as string, name);
  }
  return name;
}

/** Forget the names (signing out). */
export function forgetUserNames(): void {
  names.clear();
}

/** The header's "who": the person's name, or nothing (the caller shows the role alone). */
export function useUserName(fhirUser: string | undefined): string {
  const [name, setName] = useState('');
  useEffect(() => {
    let live = true;
    setName('');
    void loadUserName(fhirUser).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [fhirUser]);
  return name;
}

/** "Signed in: Nguyễn An (Patient)" — the role alone until (or unless) the name is known. */
export function SignedInAs({ claims }: { claims: Claims }) {
  const { t } = useTranslation();
  const name = useUserName(claims.fhirUser);
  const role = t(`roles.${claims.role}`);
  return <>{name ? t('signedInAsNamed', { name, role }) : t('signedInAs', { who: role })}</>;
}
