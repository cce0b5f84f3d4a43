/**
 * A case's photo or document, sent with tus (docs/econsult.md § Uploads): checked here first (type,
 * size), its SHA-256 computed in the browser and declared in `Upload-Metadata`, sent in chunks that
 * resume at the server's offset after a dropped link — at once (retries), or later from the
 * fingerprint tus-js-client keeps in localStorage (the same file picked again for the same case).
 */
import { type DetailedError, Upload } from 'tus-js-client';
import {
  ECONSULT_UPLOAD_MAX_BYTES,
  ECONSULT_UPLOAD_TYPES,
  type EconsultUploadMetadata,
} from '../../../../libs/contracts/src';
import { ApiError } from '../api';
import { session } from '../shell/session-store';

/** Why a file is refused before it leaves the device (message keys `upload.wrongType` / `upload.tooBig`). */
export type LocalRefusal = 'wrongType' | 'tooBig' | 'empty';

export function refusalOf(file: { type: string; size: number }): LocalRefusal | undefined {
  if (!(ECONSULT_UPLOAD_TYPES as readonly string[]).includes(file.type)) return 'wrongType';
  if (file.size === 0) return 'empty';
  if (file.size > ECONSULT_UPLOAD_MAX_BYTES) return 'tooBig';
  return undefined;
}

/** The SHA-256 of the whole file, hex (as the server checks it at the last byte). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Chunks small enough to make progress on a 2G/3G link, and to lose little when it drops. */
export const CHUNK_BYTES = 256 * 1024;

export interface UploadHandlers {
  onProgress: (sent: number, total: number) => void;
  /** The link dropped; tus-js-client tries again from the server's offset. */
  onRetry?: () => void;
}

/** The server's refusal (its JSON body, with `code`) as the portal's ApiError. */
function apiErrorOf(err: Error | DetailedError): ApiError {
  const res = (err as DetailedError).originalResponse;
  if (!res) return new ApiError(0, 'network');
  let body: unknown;
  try {
    body = JSON.parse(res.getBody());
  } catch {
    body = undefined;
  }
  const message = (body as { message?: string } | undefined)?.message ?? `HTTP ${res.getStatus()}`;
  return new ApiError(res.getStatus(), message, body);
}

/** Sends `file` to case `caseId`; resolves when the server stored it, rejects with an ApiError. */
export async function uploadFile(caseId: string, file: File, handlers: UploadHandlers): Promise<void> {
  const metadata: EconsultUploadMetadata = {
    filename: file.name,
    filetype: file.type,
    sha256: await sha256Hex(file),
  };
  return new Promise<void>((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: `/econsult/cases/${encodeURIComponent(caseId)}/uploads`,
      metadata: { ...metadata },
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      removeFingerprintOnSuccess: true,
      // The token may have been refreshed since the upload began.
      onBeforeRequest: async (req) => {
        const token = await session.accessToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onShouldRetry: (err, _attempt, options) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        // The server refused the file (type, checksum, access): sending it again would not help.
        if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
        if (status === 460) return false;
        handlers.onRetry?.();
        return options.retryDelays !== null;
      },
      onProgress: (sent, total) => handlers.onProgress(sent, total),
      onSuccess: () => resolve(),
      onError: (err) => reject(apiErrorOf(err)),
    });
    // The same file for the same case, cut earlier: carry on from where the server stopped.
    upload
      .findPreviousUploads()
      .then((previous) => {
        const last = previous[0];
        if (last) upload.resumeFromPreviousUpload(last);
        upload.start();
      })
      .catch(() => upload.start());
  });
}
