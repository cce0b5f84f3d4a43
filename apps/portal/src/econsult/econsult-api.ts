/**
 * Store-and-forward consultations as the server answers them (docs/econsult.md): the shapes are the
 * shared contract (libs/contracts/src/econsult.ts), the server's own types.
 */
import type {
  CreateEconsultBody,
  EconsultCaseListItem,
  EconsultCaseView,
  EconsultReplyBody,
} from '../../../../libs/contracts/src';
import { api, ApiError } from '../api';
import { session } from '../shell/session-store';

export type { EconsultCaseListItem, EconsultCaseView } from '../../../../libs/contracts/src';

const base = '/econsult/cases';
const one = (id: string): string => `${base}/${encodeURIComponent(id)}`;

/** A specialist's worklist, a facility's sent cases or a patient's own — in the server's order. */
export const listCases = (): Promise<EconsultCaseListItem[]> => api<EconsultCaseListItem[]>(base);
export const getCase = (id: string): Promise<EconsultCaseView> => api<EconsultCaseView>(one(id));
export const createCase = (json: CreateEconsultBody): Promise<EconsultCaseView> =>
  api<EconsultCaseView>(base, { method: 'POST', json });
export const claimCase = (id: string): Promise<EconsultCaseView> =>
  api<EconsultCaseView>(`${one(id)}/claim`, { method: 'POST' });
export const replyCase = (id: string, json: EconsultReplyBody): Promise<EconsultCaseView> =>
  api<EconsultCaseView>(`${one(id)}/reply`, { method: 'POST', json });

/** A stored document's bytes (the server wants the bearer token, so not a plain link). */
export async function documentBlob(caseId: string, uploadId: string): Promise<Blob> {
  const token = await session.accessToken();
  let res: Response;
  try {
    res = await fetch(`${one(caseId)}/documents/${encodeURIComponent(uploadId)}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`);
  return res.blob();
}

/** A blob as a `data:` URL (the page's CSP allows `data:` images, not `blob:`). */
export const dataUrlOf = (blob: Blob): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
