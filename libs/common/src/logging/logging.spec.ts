import { loggablePath } from './logging';

describe('loggablePath', () => {
  it.each([
    ['/scheduling/calendar/Q2FsZW5kYXItdG9rZW4tMDAx.ics', '/scheduling/calendar/[redacted].ics'],
    ['/Scheduling/CALENDAR/Q2FsZW5kYXItdG9rZW4tMDAx.ICS/', '/Scheduling/CALENDAR/[redacted].ics'],
    ['/scheduling/calendar/Q2FsZW5kYXI/extra?x=1', '/scheduling/calendar/[redacted]'],
    ['/scheduling/calendar-feeds', '/scheduling/calendar-feeds'],
    ['/fhir/Patient?identifier=079201001234', '/fhir/Patient'],
    ['/auth/token?code=abc&refresh_token=def', '/auth/token'],
    ['/visit/123#join=secret', '/visit/123'],
    ['/visit/123%23join=secret', '/visit/123%23[redacted]'],
    ['/a#secret', '/a'],
    ['/a%23secret', '/a%23[redacted]'],
    ['/a/secret', '/a/[redacted]'],
    ['/appointments/abc', '/appointments/abc'],
  ])('logs %s as %s', (url, logged) => {
    expect(loggablePath(url)).toBe(logged);
  });
});
