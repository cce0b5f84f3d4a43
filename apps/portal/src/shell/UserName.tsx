import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir, humanName } from '../api';
import { type Claims, USER_NAME_KEY } from './session-store';

/** Names already looked up, by fhirUser: fetched once a session, not on every screen. */
const names = new Map<string, Promise<string>>();

/**
 * The signed-in person's name, kept for the browser session (cleared on signing out with the
 * tokens). A parent who opens a child's record holds a token in the child's context, which may not
 * read the parent's own Patient: the header then shows the name read before the switch (or at
 * sign-in, with the parent's own token), after a reload too. FHIR access is not widened for it.
 */
function keptName(fhirUser: string): string {
  try {
    const kept = JSON.parse(sessionStorage.getItem(USER_NAME_KEY) ?? 'null') as {
      fhirUser?: unknown;
      name?: unknown;
    } | null;
    return kept?.fhirUser === fhirUser && typeof kept.name === 'string' ? kept.name : '';
  } catch {
    return '';
  }
}

function keepName(fhirUser: string, name: string): void {
  if (name) sessionStorage.setItem(USER_NAME_KEY, JSON.stringify({ fhirUser, name }));
}

const userRef = (fhirUser: string | undefined) => /^(Patient|Practitioner)\/([^/]+)$/.exec(fhirUser ?? '');

/** The signed-in person's name from their own Patient or Practitioner resource ('' if none). */
export function loadUserName(fhirUser: string | undefined): Promise<string> {
  const m = userRef(fhirUser);
  if (!m) return Promise.resolve('');
  let name = names.get(fhirUser as string);
  if (!name) {
    const kept = keptName(fhirUser as string);
    name = kept
      ? Promise.resolve(kept)
      : fhir.read<{ name?: { text?: string; family?: string; given?: string[] }[] }>(m[1]!, m[2]!).then(
          (r) => {
            const n = humanName(r);
            keepName(fhirUser as string, n);
            return n;
          },
          () => {
            names.delete(fhirUser as string);
            return '';
          },
        );
    names.set(fhirUser as string, name);
  }
  return name;
}

/**
 * At sign-in, before a parent opens a child's record: reads their own name with the token of their
 * own context (`token`), so the header can name them once the child's token is in use.
 */
export async function keepOwnName(fhirUser: string | undefined, token: string): Promise<void> {
  const m = userRef(fhirUser);
  if (!m || keptName(fhirUser as string)) return;
  const res = await fetch(`/fhir/${m[1]!}/${encodeURIComponent(m[2]!)}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
  }).catch(() => undefined);
  if (!res?.ok) return;
  const body = (await res.json().catch(() => undefined)) as Parameters<typeof humanName>[0];
  keepName(fhirUser as string, humanName(body));
}

/** Forget the names (signing out). */
export function forgetUserNames(): void {
  names.clear();
  sessionStorage.removeItem(USER_NAME_KEY);
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
