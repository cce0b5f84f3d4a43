import { recipientLanguage } from './recipient-language';

const lang = (code: string): { coding: { system: string; code: string }[] } => ({
  coding: [{ system: 'urn:ietf:bcp:47', code }],
});

describe('recipientLanguage', () => {
  it('Vietnamese unless the record says English', () => {
    expect(recipientLanguage(undefined)).toBe('vi');
    expect(recipientLanguage([])).toBe('vi');
    expect(recipientLanguage([{ language: lang('vi') }])).toBe('vi');
    expect(recipientLanguage([{ language: lang('en') }])).toBe('en');
    expect(recipientLanguage([{ language: lang('en-GB') }])).toBe('en');
    expect(recipientLanguage([{ language: lang('fr') }])).toBe('vi');
    expect(recipientLanguage([{ language: { text: 'English' } }])).toBe('vi'); // no code: not guessed
    expect(recipientLanguage(['en', null, 3])).toBe('vi');
  });

  it('the preferred language wins over the first', () => {
    expect(recipientLanguage([{ language: lang('vi') }, { language: lang('en'), preferred: true }])).toBe(
      'en',
    );
    expect(recipientLanguage([{ language: lang('en') }, { language: lang('vi'), preferred: true }])).toBe(
      'vi',
    );
  });

  it('a Practitioner’s communication is a list of CodeableConcept (R4)', () => {
    expect(recipientLanguage([lang('en'), lang('vi')])).toBe('en');
  });
});
