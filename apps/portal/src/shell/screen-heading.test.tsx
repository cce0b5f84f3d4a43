import { act, cleanup, render } from '@testing-library/react';
import { type ReactNode, useRef, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { focusIsFree, screenTitle, useScreenHeading, visibleHeading } from './screen-heading';

afterEach(() => {
  cleanup();
  document.title = '';
});

/** A shell in miniature: a header link, `main`, and whatever screen the test puts in it. */
function Shell({ screen, children }: { screen: string; children: ReactNode }) {
  const main = useRef<HTMLElement>(null);
  useScreenHeading(main, screen, 'Mekong Health');
  return (
    <>
      <a href="/x">nav</a>
      <main ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

describe('screenTitle', () => {
  it('is "<heading> — Mekong Health", whitespace folded; the brand alone without a heading', () => {
    expect(screenTitle('  Lịch hẹn\n  của tôi ', 'Mekong Health')).toBe('Lịch hẹn của tôi — Mekong Health');
    expect(screenTitle(undefined, 'Mekong Health')).toBe('Mekong Health');
    expect(screenTitle('', 'Mekong Health')).toBe('Mekong Health');
    expect(screenTitle('Mekong Health', 'Mekong Health')).toBe('Mekong Health');
  });
});

describe('visibleHeading and focusIsFree', () => {
  it('skips an h1 that React hid while the next screen loads (display: none), and hidden ones', () => {
    const root = document.createElement('main');
    root.innerHTML =
      '<div style="display: none"><h1>Old</h1></div><div hidden><h1>Hidden</h1></div><h1>New</h1>';
    expect(visibleHeading(root)?.textContent).toBe('New');
  });

  it('focus may move when it is nowhere, on main, or outside main — not when inside the screen', () => {
    const root = document.createElement('main');
    const input = document.createElement('input');
    const outside = document.createElement('a');
    root.append(input);
    expect(focusIsFree(root, null)).toBe(true);
    expect(focusIsFree(root, document.body)).toBe(true);
    expect(focusIsFree(root, root)).toBe(true);
    expect(focusIsFree(root, outside)).toBe(true);
    expect(focusIsFree(root, input)).toBe(false);
  });
});

describe('useScreenHeading', () => {
  it('sets the title from the h1 on first load without moving focus', () => {
    render(
      <Shell screen="/record">
        <h1>Hồ sơ sức khỏe</h1>
      </Shell>,
    );
    expect(document.title).toBe('Hồ sơ sức khỏe — Mekong Health');
    expect(document.activeElement).toBe(document.body);
  });

  it('after navigation: new title, focus on the new h1 (tabIndex -1)', () => {
    const { rerender, getByRole } = render(
      <Shell screen="/record">
        <h1>Hồ sơ sức khỏe</h1>
      </Shell>,
    );
    getByRole('link').focus();
    rerender(
      <Shell screen="/appointments">
        <h1>Lịch hẹn của tôi</h1>
      </Shell>,
    );
    const h1 = getByRole('heading', { level: 1 });
    expect(document.title).toBe('Lịch hẹn của tôi — Mekong Health');
    expect(document.activeElement).toBe(h1);
    expect(h1.getAttribute('tabindex')).toBe('-1');
  });

  it('waits for a lazily loaded screen, and follows the h1 text (language switch)', async () => {
    let show: (v: boolean) => void = () => undefined;
    let rename: (v: string) => void = () => undefined;
    function Lazy() {
      const [shown, setShown] = useState(false);
      const [name, setName] = useState('Lịch hẹn của tôi');
      show = setShown;
      rename = setName;
      return shown ? <h1>{name}</h1> : <p role="status">Đang tải…</p>;
    }
    const { rerender, getByRole } = render(
      <Shell screen="/record">
        <h1>Hồ sơ sức khỏe</h1>
      </Shell>,
    );
    rerender(
      <Shell screen="/appointments">
        <Lazy />
      </Shell>,
    );
    expect(document.title).toBe('Mekong Health');
    await act(async () => show(true));
    expect(document.activeElement).toBe(getByRole('heading', { level: 1 }));
    expect(document.title).toBe('Lịch hẹn của tôi — Mekong Health');
    await act(async () => rename('My appointments'));
    expect(document.title).toBe('My appointments — Mekong Health');
  });

  it('a "loading" h1 replaced by the loaded one hands focus over', async () => {
    let load: () => void = () => undefined;
    function Record() {
      const [name, setName] = useState<string>();
      load = () => setName('Nguyễn An');
      return name ? <h1 key="loaded">Hồ sơ của {name}</h1> : <h1 key="loading">Hồ sơ sức khỏe</h1>;
    }
    const { rerender, getByRole } = render(
      <Shell screen="/appointments">
        <h1>Lịch hẹn</h1>
      </Shell>,
    );
    rerender(
      <Shell screen="/record">
        <Record />
      </Shell>,
    );
    expect(document.activeElement?.textContent).toBe('Hồ sơ sức khỏe');
    await act(async () => load());
    expect(document.activeElement).toBe(getByRole('heading', { level: 1 }));
    expect(document.title).toBe('Hồ sơ của Nguyễn An — Mekong Health');
  });

  it('leaves focus alone when the new screen already put it somewhere inside itself', () => {
    function Focusing() {
      return (
        <>
          <h1>Đặt lịch khám</h1>
          <input aria-label="x" autoFocus />
        </>
      );
    }
    const { rerender, getByRole } = render(
      <Shell screen="/record">
        <h1>Hồ sơ sức khỏe</h1>
      </Shell>,
    );
    rerender(
      <Shell screen="/appointments/book">
        <Focusing />
      </Shell>,
    );
    expect(document.activeElement).toBe(getByRole('textbox'));
    expect(document.title).toBe('Đặt lịch khám — Mekong Health');
  });
});
