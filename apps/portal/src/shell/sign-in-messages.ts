import { registerMessages } from '../i18n';

/**
 * The sign-in screen's own strings (namespace `signin`), Vietnamese first, same keys in both. How
 * to get an account and how to get back in follow docs/decisions/011-account-recovery.md: a
 * patient's password is reset at the station that manages their record (CCCD checked in person,
 * a one-time password to change at the next sign-in); staff passwords and any authenticator by an
 * administrator.
 */
export const SIGN_IN_MESSAGES = {
  vi: {
    about:
      'Mekong Health là hồ sơ sức khỏe suốt đời và dịch vụ khám bệnh từ xa của các trạm y tế và bệnh viện trong vùng Đồng bằng sông Cửu Long.',
    noAccount: {
      title: 'Chưa có tài khoản?',
      patient:
        'Người dân: trạm y tế xã/phường nơi bạn được quản lý hồ sơ tạo tài khoản cho bạn. Hãy đến trạm và mang theo căn cước công dân (CCCD).',
      staff: 'Bác sĩ và nhân viên y tế: quản trị viên của cơ sở cấp tài khoản.',
    },
    recover: {
      title: 'Quên mật khẩu hoặc mất mã xác thực?',
      patient:
        'Người dân: đến trạm y tế quản lý hồ sơ của bạn, mang theo CCCD. Nhân viên trạm kiểm tra giấy tờ và đưa bạn một mật khẩu dùng một lần; bạn đổi mật khẩu ngay ở lần đăng nhập sau.',
      staff:
        'Bác sĩ và nhân viên y tế: liên hệ quản trị viên để đặt lại mật khẩu hoặc ứng dụng tạo mã xác thực.',
      note: 'Không ai được hỏi mật khẩu của bạn qua điện thoại hay tin nhắn.',
    },
    otp: 'Mã xác thực (6 chữ số)',
    otpHint: 'Mã trong ứng dụng xác thực trên điện thoại của bạn; mỗi mã chỉ dùng được một lần.',
    errors: {
      failed: 'Tên đăng nhập hoặc mật khẩu không đúng.',
      otpRequired:
        'Tài khoản này dùng mã xác thực. Nhập mã 6 chữ số trong ứng dụng xác thực rồi bấm “Đăng nhập”.',
      otpInvalid: 'Mã xác thực không đúng hoặc đã được dùng. Chờ mã mới trong ứng dụng rồi nhập lại.',
      locked_one: 'Đăng nhập sai quá nhiều lần nên tài khoản tạm bị khóa. Thử lại sau {{count}} phút.',
      locked_other: 'Đăng nhập sai quá nhiều lần nên tài khoản tạm bị khóa. Thử lại sau {{count}} phút.',
      lockedSoon: 'Đăng nhập sai quá nhiều lần nên tài khoản tạm bị khóa. Vui lòng thử lại sau.',
      network: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
      server: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.',
      child: 'Không mở được hồ sơ này. Vui lòng đăng nhập lại.',
    },
  },
  en: {
    about:
      'Mekong Health is the lifelong health record and remote consultation service of the commune health stations and hospitals of the Mekong Delta.',
    noAccount: {
      title: 'No account yet?',
      patient:
        'Residents: the commune health station that manages your record creates your account. Go to the station with your citizen ID card (CCCD).',
      staff: "Doctors and health staff: your facility's administrator issues your account.",
    },
    recover: {
      title: 'Forgot your password or lost your authenticator?',
      patient:
        'Residents: go to the health station that manages your record with your CCCD. The staff check it and give you a one-time password; you change it when you next sign in.',
      staff: 'Doctors and health staff: ask your administrator to reset your password or authenticator.',
      note: 'Nobody may ask for your password by phone or message.',
    },
    otp: 'Authenticator code (6 digits)',
    otpHint: 'The code in the authenticator app on your phone; each code works once.',
    errors: {
      failed: 'Wrong username or password.',
      otpRequired:
        'This account uses an authenticator code. Enter the 6-digit code from your app, then press “Sign in”.',
      otpInvalid:
        'The authenticator code is wrong or was already used. Wait for a new code in the app and try again.',
      locked_one: 'Too many failed attempts: the account is locked for now. Try again in {{count}} minute.',
      locked_other:
        'Too many failed attempts: the account is locked for now. Try again in {{count}} minutes.',
      lockedSoon: 'Too many failed attempts: the account is locked for now. Please try again later.',
      network: 'Cannot reach the server. Check your connection and try again.',
      server: 'The server has a problem. Please try again in a few minutes.',
      child: 'Could not open that record. Please sign in again.',
    },
  },
} as const;

registerMessages('signin', SIGN_IN_MESSAGES);
