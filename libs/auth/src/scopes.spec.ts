import { grantScopes, maximumScopes, parseResourceScope, scopeCovers } from './scopes';

describe('SMART scopes', () => {
  it('parses v2 and v1 resource scopes', () => {
    expect(parseResourceScope('patient/Observation.rs')).toMatchObject({
      context: 'patient',
      type: 'Observation',
    });
    expect([...(parseResourceScope('user/*.cruds')?.permissions ?? [])].sort()).toEqual([
      'c',
      'd',
      'r',
      's',
      'u',
    ]);
    expect([...(parseResourceScope('patient/Patient.read')?.permissions ?? [])].sort()).toEqual(['r', 's']);
    expect(parseResourceScope('patient/Observation.sr')).toBeUndefined(); // v2 letters are ordered
    expect(parseResourceScope('patient/observation.rs')).toBeUndefined();
    expect(parseResourceScope('admin/*.cruds')).toBeUndefined();
  });

  it('covers narrower scopes of the same context only', () => {
    expect(scopeCovers('patient/*.cruds', 'patient/Observation.rs')).toBe(true);
    expect(scopeCovers('patient/Observation.rs', 'patient/Observation.c')).toBe(false);
    expect(scopeCovers('user/*.cruds', 'patient/Observation.rs')).toBe(false);
    expect(scopeCovers('system/Patient.rs', 'system/Patient.r')).toBe(true);
  });

  it('grants the role maximum when nothing is requested, and refuses anything beyond it', () => {
    expect(grantScopes(undefined, maximumScopes('patient'))).toEqual(maximumScopes('patient'));
    expect(grantScopes('openid patient/Condition.rs', maximumScopes('patient'))).toEqual([
      'openid',
      'patient/Condition.rs',
    ]);
    expect(grantScopes('user/*.cruds', maximumScopes('patient'))).toBeUndefined();
    expect(grantScopes('made-up', maximumScopes('admin'))).toBeUndefined();
  });
});
