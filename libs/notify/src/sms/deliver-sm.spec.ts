import { isDeliveryReceipt, isOptOutReply, messageIdCandidates, parseReceipt } from './deliver-sm';

describe('deliver_sm', () => {
  it('tells a delivery receipt by esm_class bits 2-5', () => {
    expect(isDeliveryReceipt(0x04)).toBe(true);
    expect(isDeliveryReceipt(0x44)).toBe(true); // with UDHI
    expect(isDeliveryReceipt(0x00)).toBe(false);
    expect(isDeliveryReceipt(0x08)).toBe(false); // SME delivery acknowledgement
    expect(isDeliveryReceipt(0x40)).toBe(false);
  });

  it.each([
    ['DELIVRD', 'delivered'],
    ['UNDELIV', 'undeliverable'],
    ['EXPIRED', 'expired'],
    ['REJECTD', 'rejected'],
    ['DELETED', 'deleted'],
    ['UNKNOWN', 'unknown'],
    ['ENROUTE', undefined],
    ['ACCEPTD', undefined],
    ['WHATEVR', 'unknown'],
  ])('reads stat:%s as %s', (stat, status) => {
    expect(
      parseReceipt(
        `id:0a1b2c sub:001 dlvrd:001 submit date:2612061200 done date:2612061201 stat:${stat} err:000 text:Mekong`,
      ),
    ).toEqual({ messageId: '0a1b2c', stat, status, err: '000' });
  });

  it('prefers the receipted_message_id TLV and refuses a receipt without id or stat', () => {
    expect(parseReceipt('id:1 stat:DELIVRD', 'ABC')?.messageId).toBe('ABC');
    expect(parseReceipt('stat:DELIVRD')).toBeUndefined();
    expect(parseReceipt('id:1 done')).toBeUndefined();
  });

  it.each(['STOP', 'stop', ' Stop ', 'HUY', 'huy', 'Hủy', 'HỦY', 'huỷ', 'HUỶ', 'Huy nhan tin'])(
    '%j opts out',
    (text) => {
      expect(isOptOutReply(text)).toBe(true);
    },
  );

  it.each(['', 'OK', 'Cam on', 'STOPPED', 'khong huy', 'HUYEN'])('%j does not', (text) => {
    expect(isOptOutReply(text)).toBe(false);
  });

  it('matches a receipt id written in decimal to a hexadecimal message_id, and the reverse', () => {
    expect(messageIdCandidates('1A2b')).toEqual(expect.arrayContaining(['1A2b', '1a2b', '1A2B', '6699']));
    expect(messageIdCandidates('6699')).toEqual(expect.arrayContaining(['6699', '1a2b', '1A2B']));
    expect(messageIdCandidates('SM000001')).toEqual(['SM000001']);
  });
});
