import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChildLabel } from './RecordSwitcher';
import { navigate } from './router';
import { decodeClaims, type Dependent, session, TokenError } from './session-store';
import { keepOwnName } from './UserName';
import './sign-in-messages';

/**
 * Why a sign-in failed, as a message key (namespace `signin`) and its values — never a translated
 * string, so switching the language re-renders it in the other language.
 */
export interface SignInProblem {
  key: string;
  values?: Record<string, number>;
}

/** The message for a refusal of the token endpoint (or a network failure). */
export function signInProblem(e: unknown): SignInProblem {
  if (!(e instanceof TokenError)) return { key: 'errors.network' };
  if (e.code === 'AUTH.OTP_REQUIRED') return { key: 'errors.otpRequired' };
  if (e.code === 'AUTH.OTP_INVALID') return { key: 'errors.otpInvalid' };
  if (e.code === 'AUTH.TOO_MANY_ATTEMPTS' || e.status === 429)
    return e.retryAfterSeconds
      ? { key: 'errors.locked', values: { count: Math.max(1, Math.ceil(e.retryAfterSeconds / 60)) } }
      : { key: 'errors.lockedSoon' };
  if (e.status >= 500) return { key: 'errors.server' };
  return { key: 'errors.failed' };
}

/**
 * Username and password; the authenticator code only once the server says the account uses one
 * (`AUTH.OTP_REQUIRED`, after the right password). Says what the service is, how to get an
 * account and how to get back in (docs/decisions/011-account-recovery.md). A parent whose account
 * is linked to children then chooses whose record to open: theirs or a child's (the token is then
 * issued in that child's context).
 */
export function SignIn() {
  const { t } = useTranslation();
  const s = useTranslation('signin').t;
  const childLabel = useChildLabel();
  const [problem, setProblem] = useState<SignInProblem>();
  const [busy, setBusy] = useState(false);
  const [askOtp, setAskOtp] = useState(false);
  const otpRef = useRef<HTMLInputElement>(null);
  const [choice, setChoice] = useState<{
    username: string;
    password: string;
    totp?: string;
    tokens: { access_token: string; refresh_token?: string };
    dependents: Dependent[];
  }>();

  useEffect(() => {
    if (askOtp) otpRef.current?.focus();
  }, [askOtp]);

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
    const totp = String(form.get('totp') ?? '').trim() || undefined;
    setBusy(true);
    setProblem(undefined);
    session
      .requestToken(username, password, totp)
      .then(async (tokens) => {
        if (decodeClaims(tokens.access_token)?.role !== 'patient') return done(tokens);
        const dependents = await session.dependents(tokens.access_token);
        if (dependents.length === 0) return done(tokens);
        setChoice({ username, password, totp, tokens, dependents });
      })
      .catch((err: unknown) => {
        const p = signInProblem(err);
        if (p.key === 'errors.otpRequired' || p.key === 'errors.otpInvalid') {
          setAskOtp(true);
          if (otpRef.current) {
            otpRef.current.value = '';
            otpRef.current.focus();
          }
        }
        setProblem(p);
      })
      .finally(() => setBusy(false));
  };

  const openChild = (patient: string) => {
    if (!choice) return;
    setBusy(true);
    // The parent's own name for the header, read with their own token: the child's may not read it.
    keepOwnName(decodeClaims(choice.tokens.access_token)?.fhirUser, choice.tokens.access_token)
      .then(() => session.requestToken(choice.username, choice.password, choice.totp, patient))
      .then(done)
      .catch(() => setProblem({ key: 'errors.child' }))
      .finally(() => setBusy(false));
  };

  const message = problem && (
    <p role="alert" className="error" id="signin-error">
      {s(problem.key, problem.values)}
    </p>
  );

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
        {message}
      </section>
    );

  return (
    <div className="narrow">
      <form onSubmit={submit} className="card" aria-labelledby="signin-heading">
        <h1 id="signin-heading">{t('signInHeading')}</h1>
        <p>{s('about')}</p>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {askOtp && (
          <>
            <label htmlFor="signin-otp">{s('otp')}</label>
            <input
              ref={otpRef}
              id="signin-otp"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              aria-describedby="signin-otp-hint"
            />
            <small id="signin-otp-hint" style={{ display: 'block', margin: '4px 0 8px' }}>
              {s('otpHint')}
            </small>
          </>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
        {message}
      </form>
      <section className="card" aria-labelledby="signin-help-account">
        <h2 id="signin-help-account">{s('noAccount.title')}</h2>
        <p>{s('noAccount.patient')}</p>
        <p>{s('noAccount.staff')}</p>
        <h2 id="signin-help-recover">{s('recover.title')}</h2>
        <p>{s('recover.patient')}</p>
        <p>{s('recover.staff')}</p>
        <p>{s('recover.note')}</p>
      </section>
    </div>
  );
}
