import { type RefObject, useEffect, useRef } from 'react';

/** "<screen heading> — Mekong Health"; the brand alone while a screen has no heading yet. */
export function screenTitle(heading: string | null | undefined, brand: string): string {
  const text = heading?.replace(/\s+/g, ' ').trim();
  return text && text !== brand ? `${text} — ${brand}` : brand;
}

/**
 * May focus move to the new screen's heading? Not when the person (or the screen itself, e.g. a
 * confirmation it focuses) is already working inside the new screen: only when focus is nowhere
 * (the element that had it was removed), on `main` itself, or outside `main` (the link they used).
 */
export function focusIsFree(main: HTMLElement, active: Element | null): boolean {
  if (!active || active === document.body || active === document.documentElement) return true;
  return active === main || !main.contains(active);
}

/** How long after focusing a screen's heading a replacement heading (data loaded) still takes focus. */
const HAND_OVER_MS = 15_000;

/** The screen's heading: the first h1 in `root` not hidden (React hides a suspended screen's old content). */
export function visibleHeading(root: HTMLElement): HTMLHeadingElement | undefined {
  for (const h1 of root.querySelectorAll('h1')) {
    let hidden = false;
    for (let el: HTMLElement | null = h1; el && el !== root; el = el.parentElement) {
      if (el.hidden || el.style.display === 'none') hidden = true;
    }
    if (!hidden) return h1;
  }
  return undefined;
}

/**
 * WCAG 2.4.2 and 2.4.3 for a single-page portal: the document title follows the screen's one h1
 * (in the current language: the h1 re-renders on a language switch, and the title with it), and
 * after an in-app navigation (not on the first load) focus moves to the new screen's h1
 * (tabIndex -1), so a screen reader announces where the person now is and Tab continues from
 * there. Screens load lazily and their data after that: the h1 is awaited with a MutationObserver,
 * and a "loading" h1 that focus was given to and that is then replaced hands focus to its successor.
 */
export function useScreenHeading(main: RefObject<HTMLElement | null>, screen: string, brand: string): void {
  const shown = useRef(screen);
  const pendingFocus = useRef(false);
  const focused = useRef<{ h1: HTMLElement; at: number } | undefined>(undefined);

  useEffect(() => {
    if (shown.current === screen) return; // the first load (and StrictMode's second run)
    shown.current = screen;
    pendingFocus.current = true;
    focused.current = undefined;
  }, [screen]);

  useEffect(() => {
    const root = main.current;
    if (!root) return;
    const sync = () => {
      const h1 = visibleHeading(root);
      const title = screenTitle(h1?.textContent, brand);
      if (document.title !== title) document.title = title;
      if (!h1) return;
      const active = document.activeElement;
      const last = focused.current;
      const handOver =
        last !== undefined &&
        last.h1 !== h1 &&
        !last.h1.isConnected &&
        Date.now() - last.at < HAND_OVER_MS &&
        (!active || active === document.body);
      if (!pendingFocus.current && !handOver) return;
      pendingFocus.current = false;
      if (!handOver && !focusIsFree(root, active)) return;
      if (!h1.hasAttribute('tabindex')) h1.tabIndex = -1;
      h1.focus();
      focused.current = { h1, at: Date.now() };
    };
    sync();
    const observer = new MutationObserver(sync);
    observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['style', 'hidden'],
    });
    return () => observer.disconnect();
  }, [main, screen, brand]);
}
