/**
 * The 2018 conversion of 11-digit mobile numbers to 10 digits (Ministry of Information and
 * Communications, announced 29/05/2018; parallel dialling 15/09–14/11/2018, finished 30/06/2019):
 * the old 4-digit network code (with the trunk 0) becomes a 3-digit one, the last 7 digits stay.
 *
 * Sources (checked 2026-12-06): the provincial notice "Thông báo về việc chuyển đổi mã mạng",
 * https://baonghean.vn/en/thong-bao-ve-viec-chuyen-doi-ma-mang-10176925.html (table by operator:
 * MobiFone 120,121,122,126,128 → 70,79,77,76,78; VinaPhone 123,124,125,127,129 → 83,84,85,81,82;
 * Viettel 162–169 → 32–39; Vietnamobile 186,188 → 56,58; Gmobile 199 → 59), and MobiFone's own
 * plan, https://mobifone.vn/wps/portal/public/gioi-thieu/doi-dau-so/Doi_dau_so_top_1/ke-hoach-trien-khai-chuyen-doi-thue-bao
 * (example 0120.4567890 → 070.4567890).
 */
export const VN_2018_PREFIX_CONVERSION: readonly {
  readonly old: string;
  readonly current: string;
  readonly operator: 'Viettel' | 'MobiFone' | 'VinaPhone' | 'Vietnamobile' | 'Gmobile';
}[] = [
  { old: '0162', current: '032', operator: 'Viettel' },
  { old: '0163', current: '033', operator: 'Viettel' },
  { old: '0164', current: '034', operator: 'Viettel' },
  { old: '0165', current: '035', operator: 'Viettel' },
  { old: '0166', current: '036', operator: 'Viettel' },
  { old: '0167', current: '037', operator: 'Viettel' },
  { old: '0168', current: '038', operator: 'Viettel' },
  { old: '0169', current: '039', operator: 'Viettel' },
  { old: '0120', current: '070', operator: 'MobiFone' },
  { old: '0121', current: '079', operator: 'MobiFone' },
  { old: '0122', current: '077', operator: 'MobiFone' },
  { old: '0126', current: '076', operator: 'MobiFone' },
  { old: '0128', current: '078', operator: 'MobiFone' },
  { old: '0123', current: '083', operator: 'VinaPhone' },
  { old: '0124', current: '084', operator: 'VinaPhone' },
  { old: '0125', current: '085', operator: 'VinaPhone' },
  { old: '0127', current: '081', operator: 'VinaPhone' },
  { old: '0129', current: '082', operator: 'VinaPhone' },
  { old: '0186', current: '056', operator: 'Vietnamobile' },
  { old: '0188', current: '058', operator: 'Vietnamobile' },
  { old: '0199', current: '059', operator: 'Gmobile' },
];
