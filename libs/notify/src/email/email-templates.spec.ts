import type { NotificationTopic } from '@mekong/contracts';
import type { OutgoingNotification } from '../channels/channel';
import { emailFor, emailMessage, escapeHtml } from './email-templates';

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
const WHEN = new Date('2026-12-12T01:30:00Z'); // 08:30 in Vietnam
const CLINICAL = /viêm|phổi|pneumonia|J18|sởi|measles|NEWS2|điểm|score|lý do|reason|sốt|fever/i;

describe('email templates', () => {
  it('words every topic in Vietnamese, then English, with the time in Vietnam', () => {
    for (const topic of TOPICS) {
      const m = emailMessage(topic, { when: WHEN, appUrl: 'https://mekong.example.vn' });
      expect(m.subject).toMatch(/^Mekong Health: .+ \/ .+$/);
      const [vi, en] = m.text.split('\n---\n');
      expect(vi).toMatch(/[ạảãàáâầấậẫẩăằắặẵẳđêềếệễểôồốộỗổơờớợỡởưừứựữửíìịĩỉ]/i);
      expect(en).toMatch(/Open the app: https:\/\/mekong\.example\.vn|\bapp\b/);
      expect(m.html).toContain('<div lang="vi">');
      expect(m.html.indexOf('lang="vi"')).toBeLessThan(m.html.indexOf('<div lang="en">'));
    }
    const r = emailMessage('appointment-cancelled', { when: WHEN });
    expect(r.subject).toBe('Mekong Health: Lịch khám đã bị huỷ / Appointment cancelled');
    expect(r.text).toContain('Lịch khám lúc 08:30 ngày 12/12/2026 (giờ Việt Nam) của bạn đã bị huỷ.');
    expect(r.text).toContain('Your appointment at 08:30 on 12/12/2026 (Vietnam time) was cancelled.');
    expect(r.html).toContain('Lịch khám lúc 08:30 ngày 12/12/2026 (giờ Việt Nam) của bạn đã bị huỷ.');
  });

  it('puts English first for a recipient who prefers it, Vietnamese below', () => {
    const m = emailMessage(
      'appointment-cancelled',
      { when: WHEN, appUrl: 'https://mekong.example.vn' },
      'en',
    );
    expect(m.subject).toBe('Mekong Health: Appointment cancelled / Lịch khám đã bị huỷ');
    const [en, vi] = m.text.split('\n---\n');
    expect(en).toContain('Your appointment at 08:30 on 12/12/2026 (Vietnam time) was cancelled.');
    expect(en).toContain('Open the app: https://mekong.example.vn');
    expect(vi).toContain('Lịch khám lúc 08:30 ngày 12/12/2026 (giờ Việt Nam) của bạn đã bị huỷ.');
    expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(m.html.indexOf('<div lang="en">')).toBeLessThan(m.html.indexOf('<div lang="vi">'));
  });

  it('escapes everything interpolated into the HTML', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    const url = 'https://mekong.example.vn/?a=1&b="><script>alert(1)</script>';
    const m = emailMessage('appointment-reminder', { when: WHEN, appUrl: url });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain(
      '<a href="https://mekong.example.vn/?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    // Every tag in the HTML is one the template wrote.
    const tags = new Set([...m.html.matchAll(/<\/?([a-z!]+)/gi)].map((t) => t[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(
      ['!doctype', 'a', 'body', 'div', 'head', 'hr', 'html', 'meta', 'p', 'small', 'title'].sort(),
    );
    // The plain text is not escaped: it is not HTML.
    expect(m.text).toContain(`Open the app: ${url}`);
  });

  it('never carries the notification’s title or text, whatever they say', () => {
    for (const topic of TOPICS) {
      const n: OutgoingNotification = {
        id: '7',
        topic,
        recipient: 'Patient/p1',
        about: 'Appointment/a1',
        title: 'Tái khám viêm phổi (J18.9) / Pneumonia follow-up',
        text: {
          vi: 'Lý do khám: sốt cao, viêm phổi; tiêm vắc xin sởi; điểm NEWS2 7',
          en: 'Reason: high fever, pneumonia; measles vaccine; NEWS2 score 7',
        },
        createdAt: '2026-12-06T00:00:00.000Z',
      };
      const m = emailFor(n, { when: WHEN });
      for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(CLINICAL);
    }
  });
});
