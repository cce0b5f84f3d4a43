import { normalizeText } from './normalize';

describe('normalizeText', () => {
  it.each([
    ['Nguyễn Văn Ánh', 'nguyen van anh'],
    ['Đặng Thị Đào', 'dang thi dao'],
    ['  TRẦN   Thị\tHồng  Nhung ', 'tran thi hong nhung'],
    ['Cần Thơ', 'can tho'],
    ['Bà Rịa – Vũng Tàu', 'ba ria – vung tau'],
    ['Phường Xuân Khánh, Quận Ninh Kiều', 'phuong xuan khanh, quan ninh kieu'],
    ['Lê Hữu Ước', 'le huu uoc'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('folds precomposed (NFC) and decomposed (NFD) input alike', () => {
    const nfc = 'Nguyễn'.normalize('NFC');
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    expect(normalizeText(nfc)).toBe(normalizeText(nfd));
  });
});
