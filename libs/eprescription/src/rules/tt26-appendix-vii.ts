/**
 * Circular 26/2025/TT-BYT (30/06/2025, in force 01/07/2025), art. 6(8): each drug at most 30 days
 * (point a); up to 90 days for the diseases and disease groups of Appendix VII (point b; 252
 * diseases in 16 groups, by ICD-10 code).
 *
 * WHAT THIS FILE IS — a PARTIAL list, every row [unverified]. The Appendix itself (the circular's
 * PDF, datafiles.chinhphu.vn/cpp/files/vbpq/2025/7/26-byt.pdf) could not be read here. The rows are
 * the diseases that press reports of the Appendix name (sources below), each with the WHO ICD-10
 * category that names that disease, chosen by us: the Appendix's own codes, ranges and its other
 * ~230 rows are NOT here. A disease missing here refuses a prescription over 30 days that the
 * circular allows — the safe side — until the Appendix is loaded in full (docs/eprescription.md,
 * "Updating the Appendix VII list").
 *
 * Sources (public, quoted for the disease names only):
 * - ngoisao.vn, 02/07/2025, "Danh sách chi tiết 252 bệnh được kê đơn thuốc ngoại trú trên 30 ngày
 *   từ 1/7" (tăng huyết áp, đái tháo đường, COPD, hen phế quản, viêm gan B mạn tính, HIV/AIDS,
 *   Parkinson, Alzheimer, trầm cảm, rối loạn lo âu, tan máu bẩm sinh (Thalassemia), suy giáp, suy
 *   tuyến yên, sa sút trí tuệ, rong kinh tuổi dậy thì, ung thư vú, ung thư tuyến giáp);
 * - nld.com.vn, 21/01/2026, "Rà soát kê đơn thuốc trên 30 ngày…" (252 bệnh, 16 nhóm; viêm gan
 *   virus B mạn tính, HIV/AIDS; ung thư vú, phổi, tuyến giáp);
 * - a third-party compliance note quoting the circular (GitHub code index, file id 70246213378):
 *   art. 6(8)(a)/(b) and "PL VII … theo mã ICD-10"; it reports the Appendix writes "Z69.64",
 *   "Z69.65" for hip/knee replacement (not WHO ICD-10 codes) — not loaded here.
 *
 * Licence: legal texts are not protected by copyright (Law on Intellectual Property 50/2005/QH11,
 * art. 15); the ICD-10 category choice is ours (same terms as this repository).
 */
export interface AppendixRow {
  /** The disease as the source names it (Vietnamese). */
  readonly name: string;
  /** ICD-10 (WHO) codes: a 3-character category covers its subcodes; `A–B` a range of categories. */
  readonly icd10: readonly string[];
  readonly verified: false;
  readonly source:
    'ngoisao.vn 2025-07-02' | 'nld.com.vn 2026-01-21' | 'ngoisao.vn 2025-07-02; nld.com.vn 2026-01-21';
}

export const APPENDIX_VII_VERSION = 'TT 26/2025/TT-BYT PL VII — partial, press-named rows only [unverified]';

export const APPENDIX_VII: readonly AppendixRow[] = [
  { name: 'Tăng huyết áp', icd10: ['I10–I15'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Đái tháo đường', icd10: ['E10–E14'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  {
    name: 'Bệnh phổi tắc nghẽn mạn tính (COPD)',
    icd10: ['J44'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02',
  },
  { name: 'Hen phế quản', icd10: ['J45'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  {
    name: 'Viêm gan virus B mạn tính',
    icd10: ['B18.0', 'B18.1'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02; nld.com.vn 2026-01-21',
  },
  {
    name: 'HIV/AIDS',
    icd10: ['B20–B24'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02; nld.com.vn 2026-01-21',
  },
  { name: 'Parkinson', icd10: ['G20'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Alzheimer', icd10: ['G30'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Trầm cảm', icd10: ['F32', 'F33'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Rối loạn lo âu', icd10: ['F41'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  {
    name: 'Tan máu bẩm sinh (Thalassemia)',
    icd10: ['D56'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02',
  },
  { name: 'Suy giáp', icd10: ['E03'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Suy tuyến yên', icd10: ['E23.0'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Sa sút trí tuệ', icd10: ['F00–F03'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  { name: 'Rong kinh tuổi dậy thì', icd10: ['N92.2'], verified: false, source: 'ngoisao.vn 2025-07-02' },
  {
    name: 'Ung thư vú',
    icd10: ['C50'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02; nld.com.vn 2026-01-21',
  },
  { name: 'Ung thư phổi', icd10: ['C34'], verified: false, source: 'nld.com.vn 2026-01-21' },
  {
    name: 'Ung thư tuyến giáp',
    icd10: ['C73'],
    verified: false,
    source: 'ngoisao.vn 2025-07-02; nld.com.vn 2026-01-21',
  },
];
