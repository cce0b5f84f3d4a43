import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { type Locale, MESSAGES } from './messages';

// The video visit (mediasoup-client, socket.io) loads only when a visit is opened.
const Visit = lazy(() => import('./visit/Visit').then((m) => ({ default: m.Visit })));

/** `/visit/<appointment id>`: the link in reminders and on the appointment. */
const visitId = (): string | undefined =>
  /^\/visit\/([A-Za-z0-9\-.]{1,64})\/?$/.exec(window.location.pathname)?.[1];

type Health = 'checking' | 'ok' | 'degraded' | 'down';

/** The portal shell: bilingual header and the platform's live status from GET /health. */
export function App() {
  const [locale, setLocale] = useState<Locale>('vi');
  const [health, setHealth] = useState<Health>('checking');
  const t = MESSAGES[locale];

  const check = useCallback(() => {
    setHealth('checking');
    fetch('/health')
      .then((r) => r.json() as Promise<{ status: string }>)
      .then((b) => setHealth(b.status === 'ok' ? 'ok' : b.status === 'degraded' ? 'degraded' : 'down'))
      .catch(() => setHealth('down'));
  }, []);

  useEffect(check, [check]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 960, margin: '0 auto', padding: 16 }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>{t.title}</h1>
        <button type="button" onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
          {t.language}
        </button>
      </header>
      <p>{t.tagline}</p>
      {visitId() && (
        <Suspense fallback={<p>{t.checking}</p>}>
          <Visit appointmentId={visitId() as string} locale={locale} />
        </Suspense>
      )}
      <section aria-live="polite">
        <h2>{t.status}</h2>
        <p data-testid="health">{t[health]}</p>
        {health === 'down' && (
          <button type="button" onClick={check}>
            {t.retry}
          </button>
        )}
      </section>
    </main>
  );
}
