import { describe, expect, it } from 'vitest';
import { applyContact } from './queue';

describe('applyContact: an edit of phone and address line', () => {
  const base = {
    resourceType: 'Patient',
    id: 'p1',
    meta: { versionId: '2' },
    telecom: [
      { system: 'phone', value: '0912345678', use: 'mobile' },
      { system: 'email', value: 'a@b.vn' },
    ],
    address: [
      { use: 'home', line: ['Ấp 1'], city: 'An Bình', district: 'Long Hồ', text: 'Ấp 1, An Bình, Long Hồ' },
    ],
  };

  it('replaces the phone (normalised), keeps other telecoms, and leaves the address alone', () => {
    const out = applyContact(base, { phone: '0987 654 321' });
    expect(out.telecom).toEqual([
      { system: 'phone', value: '0987654321', use: 'mobile' },
      { system: 'email', value: 'a@b.vn' },
    ]);
    expect(out.address).toBe(base.address);
  });

  it('replaces the first address line and its text, keeping commune and district', () => {
    const out = applyContact(base, { line: 'Ấp Phú Hòa' });
    expect(out.address).toEqual([
      {
        use: 'home',
        line: ['Ấp Phú Hòa'],
        city: 'An Bình',
        district: 'Long Hồ',
        text: 'Ấp Phú Hòa, An Bình, Long Hồ',
      },
    ]);
    expect(out.telecom).toBe(base.telecom);
  });

  it('an emptied phone removes it', () => {
    const out = applyContact({ ...base, telecom: [base.telecom[0]] }, { phone: '' });
    expect(out.telecom).toBeUndefined();
  });
});
