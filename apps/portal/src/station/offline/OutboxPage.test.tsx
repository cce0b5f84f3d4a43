import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next } from '../../i18n';
import { getItem, type OutboxItem, putItem, wipeDevice } from './outbox';
import { OutboxPage } from './OutboxPage';

const base = { owner: 'u1', capturedAt: '2026-12-06T01:00:00Z', label: 'Trần Văn Trung' } as const;
const registration: OutboxItem = {
  ...base,
  id: 'reg-1',
  kind: 'register',
  state: 'conflict',
  conflict: { kind: 'cccd', cccd: '079058004321' },
  resources: [{ resourceType: 'Patient' }],
};
const vitals: OutboxItem = {
  ...base,
  id: 'vit-1',
  kind: 'vitals',
  state: 'waiting',
  patient: { queued: 'reg-1' },
  resources: [],
};

const settle = () => act(() => new Promise((r) => setTimeout(r, 30)));

describe('the outbox page', () => {
  beforeEach(async () => {
    await i18next.changeLanguage('vi');
    sessionStorage.setItem(
      'mekong.accessToken',
      `e30.${btoa(JSON.stringify({ sub: 'u1', exp: 9999999999 }))}.x`,
    );
    await wipeDevice();
    await putItem(registration);
    await putItem(vitals);
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('shows a CCCD conflict masked, the vitals waiting for it, and removes both after the question', async () => {
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    render(<OutboxPage />);
    await settle();
    expect(screen.getByTestId('outbox-conflict').textContent).toContain('••••••••4321');
    expect(screen.getByText('Chờ gửi xong đăng ký của bệnh nhân này.')).toBeTruthy();
    const [removeRegistration] = screen.getAllByRole('button', { name: 'Xóa khỏi máy này' });
    fireEvent.click(removeRegistration as HTMLElement);
    await settle();
    expect(confirm).toHaveBeenCalledWith(
      expect.stringContaining('Sinh hiệu đang chờ của bệnh nhân này cũng bị xóa'),
    );
    expect(await getItem('reg-1')).toBeUndefined();
    expect(await getItem('vit-1')).toBeUndefined();
  });

  it('keeps everything when the question is answered no', async () => {
    vi.stubGlobal(
      'confirm',
      vi.fn(() => false),
    );
    render(<OutboxPage />);
    await settle();
    fireEvent.click(screen.getAllByRole('button', { name: 'Xóa khỏi máy này' })[0] as HTMLElement);
    await settle();
    expect(await getItem('reg-1')).toBeDefined();
    expect(await getItem('vit-1')).toBeDefined();
  });
});
