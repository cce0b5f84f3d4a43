/** User-facing text, Vietnamese first (the default) and English. */
export const MESSAGES = {
  vi: {
    title: 'Mekong Health',
    tagline: 'Hồ sơ sức khỏe suốt đời và khám bệnh từ xa cho người dân Đồng bằng sông Cửu Long',
    status: 'Trạng thái hệ thống',
    checking: 'Đang kiểm tra…',
    ok: 'Hoạt động bình thường',
    degraded: 'Hoạt động, một số chức năng tạm ngưng',
    down: 'Không kết nối được máy chủ',
    retry: 'Thử lại',
    language: 'English',
  },
  en: {
    title: 'Mekong Health',
    tagline: 'Lifelong health records and remote consultations for the people of the Mekong Delta',
    status: 'System status',
    checking: 'Checking…',
    ok: 'All systems normal',
    degraded: 'Running, some features unavailable',
    down: 'Cannot reach the server',
    retry: 'Retry',
    language: 'Tiếng Việt',
  },
} as const;

export type Locale = keyof typeof MESSAGES;
export type MessageKey = keyof (typeof MESSAGES)['vi'];
