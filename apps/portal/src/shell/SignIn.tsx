import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChildLabel } from './RecordSwitcher';
import { navigate } from './router';
import { decodeClaims, type Dependent, session } from './session-store';

/**
 * Username and password (and a TOTP code for roles that need one). A parent whose account is
 * linked to children then chooses whose record to open: theirs or a child's (the token is then
 * issued in that child's context).
 */
export function SignIn() {
  const { t } = useTranslation();
  const childLabel = useChildLabel();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState<{
    username: string;
    password: string;
    totp?: string;
    tokens: { access_token: string; refresh_token?: string };
    dependents: Dependent[];
  }>();

  /** Keeps the chosen tokens: the app then shows the signed-in screens. */
  const done = (tokens: { access_token: string; refresh_token?: string }) => {
    session.store(tokens.access_token, tokens.refresh_token);
    if (window.location.pathname === '/') navigate('/', true);
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get('username'));
    const password = String(form.get('password'));
    const totp = String(form.get('totp') ?? '') || undefined;
    setBusy(true);
    setError(undefined);
    session
      .requestToken(username, password, totp)
      .then(async (tokens) => {
        if (decodeClaims(tokens.access_token)?.role !== 'patient') return done(tokens);
        const dependents = await session.dependents(tokens.access_token);
        if (dependents.length === 0) return done(tokens);
        setChoice({ username, password, totp, tokens, dependents });
      })
      .catch(() => setError(t('signInFailed')))
      .finally(() => setBusy(false));
  };

  const openChild = (patient: string) => {
    if (!choice) return;
    setBusy(true);
    session
      .requestToken(choice.username, choice.password, choice.totp, patient)
      .then(done)
      .catch(() => setError(t('signInFailed')))
      .finally(() => setBusy(false));
  };

  if (choice)
    return (
      <section className="card narrow" aria-labelledby="whose-heading">
        <h1 id="whose-heading">{t('whose.heading')}</h1>
        <p>{t('whose.explain')}</p>
        <ul className="plain" style={{ display: 'grid', gap: 8 }}>
          <li>
            <button type="button" onClick={() => done(choice.tokens)} disabled={busy}>
              {t('whose.mine')}
            </button>
          </li>
          {choice.dependents.map((d) => (
            <li key={d.patient}>
              <button
                type="button"
                className="secondary"
                onClick={() => openChild(d.patient)}
                disabled={busy}
              >
                {childLabel(d)}
              </button>
            </li>
          ))}
        </ul>
        {error && <p role="alert">{error}</p>}
      </section>
    );

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
