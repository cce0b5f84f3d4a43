/**
 * Signing out a station user: their unsent items are not dropped silently (a dialog asks: stay, or
 * remove them and sign out), then everything patient-related of theirs leaves the device (outbox,
 * kept patients). Other users' unsent items stay for them.
 */
import './offline.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { session } from '../../shell/session-store';
import { itemsOf, wipeOwner } from './outbox';
import { SignOutDialog } from './SignOutDialog';

function ask(count: number): Promise<'stay' | 'discard'> {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    const onChoose = (c: 'stay' | 'discard') => {
      root.unmount();
      host.remove();
      opener?.focus();
      resolve(c);
    };
    root.render(createElement(SignOutDialog, { count, onChoose }));
  });
}

/** Signs out (answers false if the user chose to stay). */
export async function signOutChecked(): Promise<boolean> {
  const claims = session.claims;
  if (claims?.role === 'clinic-staff' && typeof indexedDB !== 'undefined') {
    const unsent = await itemsOf(claims.sub)
      .then((items) => items.filter((i) => i.state !== 'sent').length)
      .catch(() => 0);
    if (unsent > 0 && (await ask(unsent)) === 'stay') return false;
    await wipeOwner(claims.sub).catch(() => undefined);
  }
  await session.signOut();
  return true;
}
