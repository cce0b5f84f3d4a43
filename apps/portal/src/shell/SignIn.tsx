import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from './router';
import { session } from './session-store';

/** Username and password (and a TOTP code for roles that need one). */
export function SignIn() {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    session
      .signIn(
        String(form.get('username')),
        String(form.get('password')),
        String(form.get('totp') ?? '') || undefined,
      )
      .then(() => {
        if (window.location.pathname === '/') navigate('/', true);
      })
      .catch(() => setError(t('signInFailed')))
      .finally(() => setBusy(false));
  };
  return (
    <form onSubmit={submit} className="card narrow" aria-labelledby="signin-heading">
      <h1 id="signin-heading">{t('signInHeading')}</h1>
      <label>
        {t('username')}
        <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {t('totp')}
        <input name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" />
      </label>
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
