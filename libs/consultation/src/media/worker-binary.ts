import { accessSync, constants } from 'node:fs';

/** Where Debian's package `mediasoup-worker` (3.8.4, experimental suite) installs the binary. */
export const DEBIAN_WORKER_BIN = '/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker';

export const WORKER_INSTALL_HINT =
  'install the mediasoup 3.8.4 worker: as root run `bash scripts/install-system-deps.sh` ' +
  '(Debian experimental package mediasoup-worker, with libsrtp2-1 and libusrsctp2 from stable), ' +
  'or set MEDIASOUP_WORKER_BIN to an executable mediasoup-worker 3.8.x';

/** The worker binary to use: MEDIASOUP_WORKER_BIN if set, else the Debian path; undefined if not executable. */
export function resolveWorkerBinary(configured: string | undefined): { path: string; usable: boolean } {
  const path = configured ?? DEBIAN_WORKER_BIN;
  try {
    accessSync(path, constants.X_OK);
    return { path, usable: true };
  } catch {
    return { path, usable: false };
  }
}
