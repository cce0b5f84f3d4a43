import type { NotificationTopic } from '@mekong/contracts';
import { znsTemplateData } from './zns-templates';

const TOPICS: NotificationTopic[] = [
  'account-security',
  'appointment-cancelled',
  'appointment-reminder',
  'break-glass',
  'econsult',
  'immunization-reminder',
  'news2-alert',
  'news2-alert-escalation',
  'waitlist-offer',
];

describe('ZNS template data', () => {
  const when = new Date('2026-12-12T01:30:00Z'); // 08:30 in Viet Nam

  it.each(TOPICS)('%s carries only a name, a code and (for appointments) the time', (topic) => {
    const data = znsTemplateData(topic, { when, name: 'An', code: 'MH42' });
    expect(Object.keys(data).every((k) => ['name', 'time', 'code'].includes(k))).toBe(true);
    expect(data).toMatchObject({ name: 'An', code: 'MH42' });
    for (const v of Object.values(data)) expect(typeof v).toBe('string');
  });

  it('the time of an appointment, in Viet Nam', () => {
    expect(znsTemplateData('appointment-reminder', { when, name: 'An', code: 'MH42' })).toEqual({
      name: 'An',
      time: '08:30 12/12/2026',
      code: 'MH42',
    });
    // A vaccination reminder says nothing of when or what (the vaccine stays out).
    expect(znsTemplateData('immunization-reminder', { when, name: 'An', code: 'MH42' })).toEqual({
      name: 'An',
      code: 'MH42',
    });
  });

  it('a name cut to 30 characters; none: a polite form of address', () => {
    const long = 'Thị Ngọc Bích Phương Thảo Quỳnh Anh';
    expect(znsTemplateData('appointment-cancelled', { name: long, code: 'MH1' }).name).toBe(
      long.slice(0, 30),
    );
    expect(znsTemplateData('appointment-cancelled', { code: 'MH1' })).toEqual({
      name: 'Quý khách',
      time: '',
      code: 'MH1',
    });
  });
});
