import { useCallback, useEffect, useState } from 'react';
import { type Locale, MESSAGES } from './messages';

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
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '0 auto', padding: 16 }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>{t.title}</h1>
        <button type="button" onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
          {t.language}
        </button>
      </header>
      <p>{t.tagline}</p>
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
