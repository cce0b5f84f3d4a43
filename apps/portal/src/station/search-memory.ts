import { session } from '../shell/session-store';
import type { SearchKind } from './identifiers';

/** A patient search as submitted: what was typed, and how to read it (unset: detected). */
export interface StationSearch {
  q: string;
  by?: SearchKind;
}

// The last search, in this tab's memory only: never in the address, the history or storage (a
// shared station computer must not show the next user whose CCCD was looked up). Kept for the
// signed-in user, so Back from a patient shows the results again; forgotten at sign-out.
let last: { sub: string; search: StationSearch } | undefined;
session.subscribe(() => {
  if (!session.token) forgetSearch();
});

export function forgetSearch(): void {
  last = undefined;
}

export function rememberSearch(search: StationSearch): void {
  const sub = session.claims?.sub;
  last = sub ? { sub, search } : undefined;
}

export function lastSearch(): StationSearch | undefined {
  return last && last.sub === session.claims?.sub ? last.search : undefined;
}
