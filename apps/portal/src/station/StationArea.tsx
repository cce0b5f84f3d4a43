import type { Claims } from '../shell/session-store';

/** Placeholder until this area is built: the route exists and loads lazily. */
export default function StationArea({ path }: { path: string; claims: Claims }) {
  return <p data-path={path} />;
}
