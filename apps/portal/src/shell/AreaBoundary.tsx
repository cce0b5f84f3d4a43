import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaLoadError, retryFailedLoads } from './lazy-area';

interface Props {
  /** Navigating elsewhere (a new key) clears the error and tries again. */
  resetKey: string;
  /** The error's heading level: 1 for a whole screen, more for a part of one. */
  level?: 1 | 2 | 3;
  children: ReactNode;
}

/**
 * Keeps the shell (header, navigation, language, sign-out) on screen when a screen fails: its code
 * could not be downloaded, or it threw while rendering. Says which, in the user's language, and
 * offers a retry instead of a white page. (React logs the error itself.)
 */
export class AreaBoundary extends Component<Props, { error: unknown; failed: boolean }> {
  override state = { error: undefined as unknown, failed: false };

  static getDerivedStateFromError(error: unknown): { error: unknown; failed: boolean } {
    return { error, failed: true };
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.retry();
  }

  private readonly retry = (): void => {
    retryFailedLoads();
    this.setState({ error: undefined, failed: false });
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <AreaError
        loading={this.state.error instanceof AreaLoadError}
        level={this.props.level ?? 1}
        onRetry={this.retry}
      />
    );
  }
}

function AreaError({ loading, level, onRetry }: { loading: boolean; level: 1 | 2 | 3; onRetry: () => void }) {
  const { t } = useTranslation();
  const kind = loading ? 'load' : 'crash';
  const Heading = `h${level}` as const;
  return (
    <div role="alert" className="error area-error">
      <Heading>{t(`areaError.${kind}Title`)}</Heading>
      <p>{t(`areaError.${kind}Body`)}</p>
      <button type="button" onClick={onRetry}>
        {t('retry')}
      </button>
    </div>
  );
}
