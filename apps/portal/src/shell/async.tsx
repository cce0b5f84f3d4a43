import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { errorCodeKey, errorCodeOf, localHalf } from './error-codes';

export interface AsyncState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads data for a view; `reload` retries. Keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** What went wrong, in the user's language, from an API error. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('errors.network');
      const code = errorCodeOf(error);
      if (code !== undefined && i18n.exists(errorCodeKey(code), { ns: 'errorCodes' }))
        return t(errorCodeKey(code), { ns: 'errorCodes' });
      if (error.status === 401) return t('errors.signedOut');
      if (error.status === 403 || error.status === 404) return t('errors.notFound');
      const said = localHalf(error.message, i18n.language);
      if (error.status === 409) return `${t('errors.conflict')} (${said})`;
      if (error.status >= 500) return t('errors.server');
      return `${t('errors.rejected')}: ${said}`;
    }
    return error instanceof Error ? error.message : String(error);
  };
}

/** Loading, error-with-retry, or the content. */
export function AsyncView<T>({
  state,
  children,
}: {
  state: AsyncState<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (state.error !== undefined)
    return (
      <div role="alert" className="error">
        <p>{errorText(state.error)}</p>
        <button type="button" onClick={state.reload}>
          {t('retry')}
        </button>
      </div>
    );
  if (state.data === undefined)
    return (
      <p role="status" aria-live="polite">
        {t('loading')}
      </p>
    );
  return <>{children(state.data)}</>;
}
