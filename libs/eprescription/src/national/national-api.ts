/**
 * The national prescription system's doctor-facing API, as far as it could be read (QĐ 808/QĐ-BYT,
 * 01/04/2022, "Tài liệu hướng dẫn kết nối với Hệ thống thông tin quốc gia về quản lý kê đơn thuốc và
 * bán thuốc theo đơn"; its annexes were NOT read in a primary text — field names and shapes below
 * are [unverified], taken from public third-party integrations, docs/eprescription.md lists them).
 */

/** POST /api/auth/dang-nhap-bac-si — the doctor signs in at the facility. */
export const SIGN_IN_PATH = '/api/auth/dang-nhap-bac-si';
/** POST /api/v1/gui-don-thuoc — a prescription is sent (Bearer token of the doctor). */
export const SUBMIT_PATH = '/api/v1/gui-don-thuoc';

export interface SignInRequest {
  readonly ma_lien_thong_co_so_kham_chua_benh: string;
  readonly ma_lien_thong_bac_si: string;
  readonly password: string;
}

export interface SignInResponse {
  readonly token: string;
  readonly token_type?: string;
}

export interface Diagnosis {
  readonly ma_chan_doan: string;
  readonly ten_chan_doan: string;
  readonly ket_luan: string;
}

export interface DrugLine {
  /** National drug list code. */
  readonly ma_thuoc: string;
  readonly ten_thuoc: string;
  readonly don_vi_tinh: string;
  readonly so_luong: number;
  /** How to take it; the days of use are written into it (no per-drug days field was seen). */
  readonly cach_dung: string;
}

export interface SubmitRequest {
  /** c ordinary, n narcotic, h psychotropic/precursor, y traditional (the connection standard's letters). */
  readonly loai_don_thuoc: string;
  readonly ma_don_thuoc: string;
  readonly ho_ten_benh_nhan: string;
  /** The citizen identity number (CCCD, 12 digits) when the patient has one. */
  readonly ma_dinh_danh_cong_dan?: string;
  readonly ngay_sinh_benh_nhan?: string;
  readonly gioi_tinh?: number;
  readonly chan_doan: readonly Diagnosis[];
  readonly thong_tin_don_thuoc: readonly DrugLine[];
  readonly loi_dan?: string;
  /** yyyy-MM-dd HH:mm:ss, Viet Nam time. */
  readonly ngay_gio_ke_don: string;
}

/** What a refused submission answers (HTTP 422): a message and the list of errors. */
export interface SubmitRefusal {
  readonly success?: string;
  readonly danh_sach_cac_loi?: readonly unknown[];
  readonly checksum?: string;
}
