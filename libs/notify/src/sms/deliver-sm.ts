import { toGsm7 } from './gsm7';

/** A part's outcome as the delivery receipt tells it (sms_message.status). */
export type ReceiptStatus = 'delivered' | 'undeliverable' | 'expired' | 'rejected' | 'deleted' | 'unknown';

export interface DeliveryReceipt {
  readonly messageId: string;
  /** undefined for an intermediate state (ENROUTE, ACCEPTD): nothing to record yet. */
  readonly status?: ReceiptStatus;
  readonly stat: string;
  readonly err?: string;
}

const STATS: Record<string, ReceiptStatus | undefined> = {
  DELIVRD: 'delivered',
  UNDELIV: 'undeliverable',
  EXPIRED: 'expired',
  REJECTD: 'rejected',
  DELETED: 'deleted',
  UNKNOWN: 'unknown',
  ENROUTE: undefined,
  ACCEPTD: undefined,
};

/** esm_class bits 2–5 = 0001: an SMSC delivery receipt (SMPP 3.4 §5.2.12). */
export function isDeliveryReceipt(esmClass: number): boolean {
  return (esmClass & 0x3c) === 0x04;
}

/**
 * A delivery receipt's fields from the de-facto format of SMPP 3.4 Appendix B
 * (`id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:… text:…`); the
 * receipted_message_id TLV wins over the text's id when present. undefined when it has no id/stat.
 */
export function parseReceipt(text: string, receiptedMessageId?: string): DeliveryReceipt | undefined {
  const id = receiptedMessageId ?? /\bid:(\S+)/i.exec(text)?.[1];
  const stat = /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !stat) return undefined;
  const err = /\berr:(\w+)/i.exec(text)?.[1];
  return { messageId: id, stat, status: stat in STATS ? STATS[stat] : 'unknown', ...(err ? { err } : {}) };
}

/** True for a reply asking to stop SMS: STOP or HUY (HỦY, huỷ…), in any case, as its first word. */
export function isOptOutReply(text: string): boolean {
  return /^(STOP|HUY)\b/.test(toGsm7(text.normalize('NFC')).trim().toUpperCase());
}

/**
 * The ids a receipt's message id may stand for: itself, and — because many SMSCs answer
 * submit_sm_resp with a hexadecimal id but write the receipt's `id:` in decimal (or the reverse) —
 * its decimal or hexadecimal twin. Case-insensitive for hex.
 */
export function messageIdCandidates(id: string): string[] {
  const out = new Set([id]);
  if (/^[0-9a-f]{1,16}$/i.test(id)) {
    out.add(id.toLowerCase());
    out.add(id.toUpperCase());
    out.add(BigInt(`0x${id}`).toString(10));
  }
  if (/^\d{1,20}$/.test(id)) {
    const hex = BigInt(id).toString(16);
    out.add(hex);
    out.add(hex.toUpperCase());
  }
  return [...out];
}
