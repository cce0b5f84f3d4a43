import { lazy, type LazyExoticComponent, type ReactNode } from 'react';

/** A screen's code could not be downloaded (3G dropped, the server restarted with a new build). */
export class AreaLoadError extends Error {
  constructor(cause: unknown) {
    super('The screen could not be downloaded', { cause });
    this.name = 'AreaLoadError';
  }
}

// Loaders whose last download failed: `retryFailedLoads` gives each a fresh start.
const failed = new Set<() => void>();

/**
 * Like React.lazy, but a failed download is not kept for good: React.lazy remembers a rejected
 * import forever, so "Retry" would show the same error. The failure is an AreaLoadError for
 * AreaBoundary to explain; after `retryFailedLoads()` the next render downloads again.
 */
export function lazyArea<P extends object>(load: () => Promise<{ default: (props: P) => ReactNode }>) {
  let Current: LazyExoticComponent<(props: P) => ReactNode>;
  const start = (): void => {
    Current = lazy(() =>
      load().catch((cause: unknown) => {
        failed.add(start);
        throw new AreaLoadError(cause);
      }),
    );
  };
  start();
  return function LazyArea(props: P) {
    return <Current {...props} />;
  };
}

/** Lets every screen whose download failed try again on its next render. */
export function retryFailedLoads(): void {
  const again = [...failed];
  failed.clear();
  for (const start of again) start();
}
