import '../i18n';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next } from '../i18n';
import { AreaBoundary } from './AreaBoundary';

let broken = true;
function Screen() {
  if (broken) throw new Error('render bug');
  return <p>the screen</p>;
}

beforeEach(async () => {
  await i18next.changeLanguage('vi');
  broken = true;
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught error
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('AreaBoundary', () => {
  it('a screen that throws while rendering: says so (not "could not be loaded") and retries', async () => {
    render(
      <AreaBoundary resetKey="/a" level={2}>
        <Screen />
      </AreaBoundary>,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Trang này gặp lỗi');
    broken = false;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    });
    expect(screen.getByText('the screen')).toBeTruthy();
  });

  it('going elsewhere clears the error', () => {
    const { rerender } = render(
      <AreaBoundary resetKey="/a">
        <Screen />
      </AreaBoundary>,
    );
    expect(screen.getByRole('alert')).toBeTruthy();
    broken = false;
    rerender(
      <AreaBoundary resetKey="/b">
        <Screen />
      </AreaBoundary>,
    );
    expect(screen.getByText('the screen')).toBeTruthy();
  });
});
