import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import type { Claims } from '../shell/session-store';
import { stubFetch } from '../test-fetch';
import { DutyRoster } from './DutyRoster';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const nurse: Claims = {
  sub: 'a2',
  role: 'clinic-staff',
  fhirUser: 'Practitioner/n1',
  organization: 'Organization/station',
  exp: 9e9,
};

/** Found by the screen walk: the roster showed "Organization/<uuid>" while (or when) names did not load. */
describe('duty roster names things in words, never by reference', { timeout: 30_000 }, () => {
  beforeEach(() => void i18next.changeLanguage('vi'));
  afterEach(() => {
    cleanup();
    missingKeys.length = 0;
  });

  for (const lang of ['vi', 'en'] as const) {
    it(`when the facility and the doctor cannot be named (${lang})`, async () => {
      await i18next.changeLanguage(lang);
      stubFetch((c) => {
        if (c.url.startsWith('/care/duty-roster?'))
          return json(200, [
            {
              id: 'r1',
              facility: 'Organization/station',
              practitioner: 'Practitioner/d9',
              covers: ['Organization/station', 'Organization/hamlet'],
              start: '2026-12-06T13:00:00.000Z',
              end: '2026-12-07T01:00:00.000Z',
              names: {},
            },
          ]);
        if (c.url === '/fhir/Organization/station') return json(503, { resourceType: 'OperationOutcome' });
        if (c.url.startsWith('/fhir/Organization?')) return json(503, { resourceType: 'OperationOutcome' });
        return undefined;
      });
      render(<DutyRoster claims={nurse} />);
      const own = lang === 'vi' ? 'Cơ sở của bạn' : 'Your facility';
      await screen.findByRole('checkbox', { name: own });
      const where =
        lang === 'vi' ? 'Cơ sở của bạn, Cơ sở chưa có tên' : 'Your facility, Facility without a name';
      expect(await screen.findByText(where)).toBeTruthy();
      expect(screen.getByText(lang === 'vi' ? /Bác sĩ \(chưa có tên/ : /Doctor \(no name/)).toBeTruthy();
      expect(document.body.textContent).not.toMatch(/Organization\/|Practitioner\//);
      expect(missingKeys).toEqual([]);
    });
  }
});
