/** React hooks over the outbox: its items (re-read on every change) and the sync driver. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { session } from '../../shell/session-store';
import { itemsOf, onOutboxChange, type OutboxItem, othersUnsent, outboxVersion } from './outbox';
import { type SyncResult, syncOutbox } from './sync';

/** The signed-in user's outbox items (undefined while reading), and unsent items of other users. */
export function useOutbox(): { items?: OutboxItem[]; others: number } {
  const version = useSyncExternalStore(onOutboxChange, outboxVersion);
  const [state, setState] = useState<{ items?: OutboxItem[]; others: number }>({ others: 0 });
  const owner = session.claims?.sub;
  useEffect(() => {
    let live = true;
    if (!owner) return;
    Promise.all([itemsOf(owner), othersUnsent(owner)]).then(
      ([items, others]) => live && setState({ items, others }),
      () => live && setState({ items: [], others: 0 }),
    );
    return () => {
      live = false;
    };
  }, [owner, version]);
  return state;
}

const RETRY_MS = 30_000;

/**
 * Sends the outbox when the station area opens, when the browser comes back online, and every 30 s
 * while something waits. Answers the last run's result and whether the browser is online.
 */
export function useOutboxSync(): {
  online: boolean;
  last?: SyncResult;
  syncing: boolean;
  syncNow: () => void;
} {
  const [online, setOnline] = useState(() => navigator.onLine);
  const [last, setLast] = useState<SyncResult>();
  const [syncing, setSyncing] = useState(false);
  const syncNow = (retry = 0) => {
    setSyncing(true);
    syncOutbox().then(
      (r) => {
        setLast(r);
        setSyncing(false);
        // The link came back but the send failed (a flaky link, a lost answer): soon again, then the
        // 30 s timer takes over.
        if (r.stopped === 'offline' && navigator.onLine && retry < 3)
          window.setTimeout(() => syncNow(retry + 1), 3000 * 2 ** retry);
      },
      () => setSyncing(false),
    );
  };
  useEffect(() => {
    const up = () => {
      setOnline(true);
      syncNow();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    if (navigator.onLine) syncNow();
    const timer = window.setInterval(() => {
      if (navigator.onLine) syncNow();
    }, RETRY_MS);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.clearInterval(timer);
    };
  }, []);
  return { online, last, syncing, syncNow };
}
