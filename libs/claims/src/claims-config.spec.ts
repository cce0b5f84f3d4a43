import { ClaimsConfig } from './claims-config';

const facility = (extra: Record<string, unknown> = {}) => ({
  departmentCode: 'K01',
  headOfFacilityId: '9212345678',
  careType: '01',
  insuredCategory: '1.1',
  uninsuredCategory: '9',
  visitService: { code: 'I.1', name: 'Khám bệnh', unit: 'lần', costGroup: 13 },
  priceList: { items: [{ code: 'I.1', price: 52600 }] },
  ...extra,
});

describe('ClaimsConfig', () => {
  it('keeps a facility’s billed services and prices', () => {
    const c = new ClaimsConfig({
      facilities: {
        'Organization/a': facility({
          services: [{ code: 'TEST.GLU', name: 'Glucose', unit: 'lần', costGroup: 1 }],
        }) as never,
      },
    });
    expect(c.facility('Organization/a')?.services?.map((s) => s.code)).toEqual(['TEST.GLU']);
    expect(c.facility('Organization/a')?.prices.get('I.1')).toBe(52600);
    expect(c.facility('Organization/b')).toBeUndefined();
  });

  it.each([
    ['a service without a cost group', { services: [{ code: 'X', name: 'X', unit: 'lần' }] }],
    ['a service without a code', { services: [{ name: 'X', unit: 'lần', costGroup: 1 }] }],
    [
      'a visit service with a fractional group',
      { visitService: { code: 'I.1', name: 'K', unit: 'lần', costGroup: 1.5 } },
    ],
    ['a negative price', { priceList: { items: [{ code: 'I.1', price: -1 }] } }],
  ])('refuses to start with %s', (_, extra) => {
    expect(() => new ClaimsConfig({ facilities: { 'Organization/a': facility(extra) as never } })).toThrow(
      /claims config Organization\/a/,
    );
  });
});
