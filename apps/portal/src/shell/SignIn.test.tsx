import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { stubFetch } from '../test-fetch';
import { session } from './session-store';
import { SignIn } from './SignIn';

const token = (claims: Record<string, unknown>): string =>
  `x.${btoa(JSON.stringify({ sub: 'acc1', exp: Date.now() / 1000 + 3600, ...claims }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}.y`;
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

beforeEach(async () => {
  missingKeys.length = 0;
  sessionStorage.clear();
  await i18next.changeLanguage('vi');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const fill = (username: string, password: string) => {
  fireEvent.change(screen.getByLabelText('Tên đăng nhập'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('Mật khẩu'), { target: { value: password } });
};
const submit = () => fireEvent.submit(screen.getByRole('button', { name: 'Đăng nhập' }).closest('form')!);

describe('SignIn', () => {
  it('says what the service is, how to get an account and how to get back in; no code field at first', () => {
    render(<SignIn />);
    expect(screen.getByText(/Mekong Health là hồ sơ sức khỏe suốt đời/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Chưa có tài khoản?' })).toBeTruthy();
    expect(screen.getByText(/trạm y tế xã\/phường nơi bạn được quản lý hồ sơ tạo tài khoản/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Quên mật khẩu hoặc mất mã xác thực?' })).toBeTruthy();
    expect(screen.getByText(/mật khẩu dùng một lần/)).toBeTruthy();
    expect(screen.queryByLabelText(/Mã xác thực/)).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('shows the authenticator-code field only after the server asks, then sends it as otp', async () => {
    const calls = stubFetch((c) => {
      if (c.url !== '/auth/token') return undefined;
      const body = c.body as Record<string, string>;
      if (!body.otp)
        return answer(400, { error: 'invalid_grant', error_description: 'x', code: 'AUTH.OTP_REQUIRED' });
      return answer(200, { access_token: token({ role: 'practitioner' }), refresh_token: 'r' });
    });
    render(<SignIn />);
    fill('bs.lan', 'mat-khau');
    submit();
    const code = (await screen.findByLabelText('Mã xác thực (6 chữ số)')) as HTMLInputElement;
    expect(screen.getByRole('alert').textContent).toContain('Tài khoản này dùng mã xác thực');
    await waitFor(() => expect(document.activeElement).toBe(code));
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    fireEvent.change(code, { target: { value: '123456' } });
    submit();
    await waitFor(() => expect(session.token).not.toBeNull());
    expect(calls.map((c) => (c.body as Record<string, string>).otp)).toEqual([undefined, '123456']);
    expect(missingKeys).toEqual([]);
  });

  it('a wrong password never brings the code field', async () => {
    stubFetch(() => answer(400, { error: 'invalid_grant', error_description: 'x' }));
    render(<SignIn />);
    fill('an', 'sai');
    submit();
    expect((await screen.findByRole('alert')).textContent).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(screen.queryByLabelText(/Mã xác thực/)).toBeNull();
  });

  it('a lockout says how long (Retry-After in minutes), and the message follows the language switch', async () => {
    stubFetch(() =>
      answer(
        429,
        { error: 'invalid_grant', error_description: 'x', code: 'AUTH.TOO_MANY_ATTEMPTS' },
        { 'Retry-After': '840' },
      ),
    );
    render(<SignIn />);
    fill('an', 'sai');
    submit();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Thử lại sau 14 phút.');
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByRole('alert').textContent).toContain('Try again in 14 minutes.');
    expect(screen.getByRole('heading', { name: 'No account yet?' })).toBeTruthy();
    await act(() => i18next.changeLanguage('vi'));
    expect(screen.getByRole('alert').textContent).toContain('Thử lại sau 14 phút.');
    expect(missingKeys).toEqual([]);
  });

  it('no connection is not reported as a wrong password', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    render(<SignIn />);
    fill('an', 'x');
    submit();
    expect((await screen.findByRole('alert')).textContent).toContain('Không kết nối được máy chủ');
  });
});
