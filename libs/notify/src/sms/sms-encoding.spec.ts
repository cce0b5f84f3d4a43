import { NOTIFICATION_TOPICS, type NotificationTopic } from '@mekong/contracts';
import { isGsm7, toGsm7 } from './gsm7';
import { encodeSms, LIMITS, partsNeeded } from './sms-encoding';
import { smsTemplate, smsText } from './sms-templates';

// Every topic of the contract: a new one must fit one part too.
const TOPICS: readonly NotificationTopic[] = NOTIFICATION_TOPICS;
const WHEN = new Date('2026-12-12T01:30:00Z'); // 08:30 in Viet Nam

describe('SMS text', () => {
  it('writes Vietnamese without diacritics for GSM-7', () => {
    expect(toGsm7('Bạn có lịch khám lúc 08:30. Đường Nguyễn Huệ – “Hẹn”')).toBe(
      'Ban co lich kham luc 08:30. Duong Nguyen Hue - "Hen"',
    );
    expect(toGsm7('漢字 ok')).toBe('?? ok');
  });

  it('gives the reminder time in Viet Nam, in one GSM-7 part', () => {
    const text = smsText('appointment-reminder', { when: WHEN }, 'vi', 'gsm7');
    expect(text).toBe(
      'Mekong Health: Ban co lich kham luc 08:30 ngay 12/12/2026. Vui long vao som vai phut. Nhan HUY de ngung nhan SMS.',
    );
    expect(text.length).toBeLessThanOrEqual(160);
    expect(partsNeeded(text, 'gsm7')).toBe(1);
    expect(partsNeeded(smsText('appointment-reminder', { when: WHEN }, 'en', 'gsm7'), 'gsm7')).toBe(1);
  });

  it.each(TOPICS.flatMap((t) => (['vi', 'en'] as const).map((l) => [t, l] as const)))(
    '%s (%s) is GSM-7, one part, and says nothing clinical',
    (topic, lang) => {
      const text = smsText(topic, { when: WHEN }, lang, 'gsm7');
      expect(isGsm7(text)).toBe(true);
      expect(partsNeeded(text, 'gsm7')).toBe(1);
      expect(text).not.toMatch(
        /NEWS2|score|diem|vaccin|tiem|vac-xin|ly do|reason|chan doan|diagnos|xet nghiem|test/i,
      );
    },
  );

  it('keeps diacritics for UCS-2', () => {
    expect(smsText('appointment-cancelled', {}, 'vi', 'ucs2')).toBe(
      smsTemplate('appointment-cancelled', {}, 'vi'),
    );
    expect(smsText('appointment-cancelled', {}, 'vi', 'ucs2')).toContain('Lịch khám');
  });
});

describe('SMS encoding', () => {
  it('sends 160 GSM-7 characters alone, unpacked, no UDH', () => {
    const [part, ...rest] = encodeSms('A'.repeat(160), 'gsm7', 7);
    expect(rest).toHaveLength(0);
    expect(part).toEqual({ dataCoding: 0, esmClass: 0, bytes: Buffer.alloc(160, 0x41) });
  });

  it('writes GSM-7 codes, extension characters as ESC + code', () => {
    expect([...encodeSms('@£$_€[', 'gsm7', 0)[0]!.bytes]).toEqual([
      0x00, 0x01, 0x02, 0x11, 0x1b, 0x65, 0x1b, 0x3c,
    ]);
  });

  it('splits 161 characters into 153 + 8 behind the concatenation UDH', () => {
    const parts = encodeSms('B'.repeat(161), 'gsm7', 0x1ab);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.esmClass)).toEqual([0x40, 0x40]);
    expect([...parts[0]!.bytes.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xab, 2, 1]);
    expect([...parts[1]!.bytes.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xab, 2, 2]);
    expect(parts[0]!.bytes.length).toBe(6 + LIMITS.gsm7.concatenated);
    expect(parts[1]!.bytes.subarray(6)).toEqual(Buffer.alloc(8, 0x42));
  });

  it('never splits an escape pair between parts', () => {
    const parts = encodeSms(`${'x'.repeat(152)}€y${'z'.repeat(10)}`, 'gsm7', 1);
    expect(parts[0]!.bytes.length).toBe(6 + 152);
    expect([...parts[1]!.bytes.subarray(6, 9)]).toEqual([0x1b, 0x65, 0x79]);
  });

  it('sends UCS-2 as UTF-16BE: 70 alone, 67 per concatenated part', () => {
    const one = encodeSms('ạ'.repeat(70), 'ucs2', 0);
    expect(one).toHaveLength(1);
    expect(one[0]!.dataCoding).toBe(8);
    expect([...one[0]!.bytes.subarray(0, 2)]).toEqual([0x1e, 0xa1]);
    const parts = encodeSms('ạ'.repeat(71), 'ucs2', 9);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.bytes.length).toBe(6 + 67 * 2);
    expect(parts[1]!.bytes.length).toBe(6 + 4 * 2);
    expect([...parts[1]!.bytes.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 9, 2, 2]);
  });

  it('keeps a surrogate pair in one UCS-2 part', () => {
    const parts = encodeSms(`${'a'.repeat(66)}😀b${'c'.repeat(10)}`, 'ucs2', 0);
    expect(parts[0]!.bytes.length).toBe(6 + 66 * 2);
    expect(parts[1]!.bytes.subarray(6, 10)).toEqual(Buffer.from('😀', 'utf16le').swap16());
  });

  it('refuses what GSM-7 cannot write and a message beyond 10 parts', () => {
    expect(() => encodeSms('Bạn', 'gsm7', 0)).toThrow(/not in GSM-7/);
    expect(() => encodeSms('a'.repeat(153 * 10 + 1), 'gsm7', 0)).toThrow(/at most 10/);
  });
});
