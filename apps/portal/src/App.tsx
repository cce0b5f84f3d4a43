import { type ReactNode, Suspense, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { type Locale, setLocale } from './i18n';
import { AreaBoundary } from './shell/AreaBoundary';
import { lazyArea } from './shell/lazy-area';
import { Link, match, navigate, pathnameOf, usePath } from './shell/router';
import { type Claims, type Role, session } from './shell/session-store';
import { RecordSwitcher } from './shell/RecordSwitcher';
import { useScreenHeading } from './shell/screen-heading';
import { SignIn } from './shell/SignIn';
import { SignedInAs } from './shell/UserName';

// Each area loads only when opened: a phone on 3G downloads the screen it needs (and may fail to:
// AreaBoundary below keeps the shell and offers a retry).
const Visit = lazyArea(async () => ({ default: (await import('./visit/Visit')).Visit }));
const ActionLink = lazyArea(() => import('./action-link/ActionLink'));
const RecordArea = lazyArea(() => import('./record/RecordArea'));
const BookingArea = lazyArea(() => import('./booking/BookingArea'));
const DoctorArea = lazyArea(() => import('./doctor/DoctorArea'));
const StationArea = lazyArea(() => import('./station/StationArea'));

type Health = 'checking' | 'ok' | 'degraded' | 'down';

const NAV: Record<Role, { to: string; key: string }[]> = {
  patient: [
    { to: '/record', key: 'nav.record' },
    { to: '/appointments', key: 'nav.appointments' },
    { to: '/appointments/book', key: 'nav.book' },
    { to: '/record/audit', key: 'nav.audit' },
    { to: '/record/sharing', key: 'nav.sharing' },
  ],
  practitioner: [
    { to: '/doctor', key: 'nav.today' },
    { to: '/doctor/availability', key: 'nav.availability' },
    { to: '/doctor/alerts', key: 'nav.alerts' },
    { to: '/doctor/econsult', key: 'nav.econsult' },
  ],
  'clinic-staff': [
    { to: '/station', key: 'nav.patients' },
    { to: '/station/register', key: 'nav.register' },
    { to: '/station/alerts', key: 'nav.alerts' },
    { to: '/station/roster', key: 'nav.roster' },
    { to: '/station/claims', key: 'nav.claims' },
  ],
  admin: [],
  system: [],
};

const HOME: Record<Role, string> = {
  patient: '/record',
  practitioner: '/doctor',
  'clinic-staff': '/station',
  admin: '/',
  system: '/',
};

function useClaims(): Claims | undefined {
  const token = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.token,
  );
  return token ? session.claims : undefined;
}

function StatusLine() {
  const { t } = useTranslation();
  const [health, setHealth] = useState<Health>('checking');
  const check = () => {
    setHealth('checking');
    fetch('/health')
      .then((r) => r.json() as Promise<{ status: string }>)
      .then((b) => setHealth(b.status === 'ok' ? 'ok' : b.status === 'degraded' ? 'degraded' : 'down'))
      .catch(() => setHealth('down'));
  };
  useEffect(check, []);
  return (
    <section aria-live="polite" className="status">
      <h2 className="visually-hidden">{t('status')}</h2>
      <p data-testid="health">
        {t('status')}: {t(health)}{' '}
        {health === 'down' && (
          <button type="button" onClick={check}>
            {t('retry')}
          </button>
        )}
      </p>
    </section>
  );
}

function Routes({ path, claims }: { path: string; claims?: Claims }): ReactNode {
  const { t } = useTranslation();
  const visit = match('/visit/:id', path);
  if (visit) return <Visit appointmentId={visit.id as string} />;
  // An appointment action link `/a#<token>` works signed in or not (the token is the key).
  if (pathnameOf(path) === '/a') return <ActionLink />;
  if (!claims) return <SignIn />;
  const area = pathnameOf(path).split('/')[1] ?? '';
  switch (area) {
    case '':
      if (HOME[claims.role] !== '/') {
        navigate(HOME[claims.role], true);
        return null;
      }
      return <p>{t('adminNote')}</p>;
    case 'record':
      return <RecordArea path={path} claims={claims} />;
    case 'appointments':
      return <BookingArea path={path} claims={claims} />;
    case 'doctor':
      return <DoctorArea path={path} claims={claims} />;
    case 'station':
      return <StationArea path={path} claims={claims} />;
    default:
      return <p role="alert">{t('notFoundPage')}</p>;
  }
}

/**
 * Signs out; a station user with unsent offline work is asked first and their patient data leaves
 * the device (station/offline/sign-out, loaded on demand; the service worker keeps it offline).
 */
async function signOut(): Promise<void> {
  const checked = await import('./station/offline/sign-out').catch(() => undefined);
  const done = checked ? await checked.signOutChecked() : (await session.signOut(), true);
  if (done) navigate('/');
}

/** The portal: header (language, who is signed in), the role's navigation, and the screen. */
export function App() {
  const { t, i18n } = useTranslation();
  const path = usePath();
  const claims = useClaims();
  const locale = i18n.language as Locale;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // The title follows the screen's h1; after in-app navigation focus moves to it (WCAG 2.4.2, 2.4.3).
  const mainRef = useRef<HTMLElement>(null);
  useScreenHeading(mainRef, `${pathnameOf(path)}|${claims?.patient ?? ''}`, t('title'));
  const nav = claims ? NAV[claims.role] : [];

  return (
    <>
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {t('title')}
        </Link>
        <div className="top-actions">
          {claims && (
            <span className="who">
              <SignedInAs claims={claims} />
              {claims.role === 'patient' &&
                claims.patient &&
                claims.fhirUser !== `Patient/${claims.patient}` && <strong> · {t('viewingChild')}</strong>}
            </span>
          )}
          {claims?.role === 'patient' && <RecordSwitcher claims={claims} />}
          <button
            type="button"
            onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}
            lang={locale === 'vi' ? 'en' : 'vi'}
          >
            {t('language')}
          </button>
          {claims && (
            <button type="button" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      {nav.length > 0 && (
        <nav aria-label={t('nav.main')} className="nav">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={pathnameOf(path) === n.to ? 'page' : undefined}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1} ref={mainRef}>
        <AreaBoundary resetKey={pathnameOf(path)}>
          <Suspense fallback={<p role="status">{t('loading')}</p>}>
            {/* Another record opened (a parent switching to a child's): every screen starts afresh. */}
            <Routes key={claims?.patient ?? ''} path={path} claims={claims} />
          </Suspense>
        </AreaBoundary>
      </main>
      <footer>
        <p>{t('tagline')}</p>
        <StatusLine />
      </footer>
    </>
  );
}
