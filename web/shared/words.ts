import type { Translate } from './i18n';

/**
 * Words every dashboard says the same way: its login, the language switch, an error. Each app's
 * message table starts with these (`{ ...SHARED_WORDS, … }`) and adds its own.
 */
export const SHARED_WORDS = {
  language: { vi: 'English', en: 'Tiếng Việt' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  logIn: { vi: 'Đăng nhập', en: 'Log in' },
  logOut: { vi: 'Đăng xuất', en: 'Log out' },
  loginFailed: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  error: { vi: 'Lỗi: {message}', en: 'Error: {message}' },
} as const;

export type SharedWord = keyof typeof SHARED_WORDS;

/** The login form's words in an app's language; `wrongRole` is the app's own "this page is for …". */
export function loginWords(t: Translate<SharedWord>, wrongRole: string) {
  return {
    username: t('username'),
    password: t('password'),
    logIn: t('logIn'),
    loginFailed: t('loginFailed'),
    wrongRole,
    failed: (message: string) => t('error', { message }),
  };
}
