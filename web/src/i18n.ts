import type { Problem } from '../../survey-forms/ajv';
import type { Item, LocalizedText } from '../../survey-forms/form-definition.schema';
import { translator, type Lang } from '../shared/i18n';

export type { Lang };

/** The enumerator app's words. */

const MESSAGES = {
  appTitle: { vi: 'SIPAS – Điều tra viên', en: 'SIPAS – Enumerator' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  logIn: { vi: 'Đăng nhập', en: 'Log in' },
  logOut: { vi: 'Đăng xuất', en: 'Log out' },
  loggedInAs: { vi: 'Đang đăng nhập: {name}', en: 'Logged in as {name}' },
  loginFailed: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  loginOffline: { vi: 'Không có mạng. Lần đăng nhập đầu tiên cần có mạng.', en: 'No network. The first login needs a connection.' },
  loginNotEnumerator: { vi: 'Ứng dụng này dành cho điều tra viên; tài khoản {name} có vai trò {role}.', en: 'This app is for enumerators; {name} is a {role}.' },
  loginOtherUser: {
    vi: 'Máy này còn {count} phiếu chưa gửi của tài khoản {name}. Hãy đăng nhập bằng {name} để gửi chúng trước.',
    en: 'This device still holds {count} unsent items of {name}. Log in as {name} to send them first.',
  },
  sessionExpired: {
    vi: 'Phiên đăng nhập đã hết hạn. Các phiếu vẫn được giữ an toàn trên máy; hãy đăng nhập lại để gửi.',
    en: 'Your login has expired. Your responses are kept safe on this device; log in again to send them.',
  },
  logOutBlocked: { vi: 'Còn {count} phiếu chưa gửi hoặc đang làm dở: chưa thể đăng xuất.', en: '{count} responses are unsent or in progress: you cannot log out yet.' },
  syncTitle: { vi: 'Đồng bộ', en: 'Sync' },
  waiting: { vi: 'Chờ gửi: {count}', en: 'Waiting to send: {count}' },
  reportsWaiting: { vi: 'Cập nhật trạng thái chờ gửi: {count}', en: 'Status reports waiting: {count}' },
  needsCorrection: { vi: 'Cần sửa: {count}', en: 'Needs correction: {count}' },
  lastSync: { vi: 'Đồng bộ thành công lần cuối: {time}', en: 'Last successful sync: {time}' },
  neverSynced: { vi: 'Chưa đồng bộ lần nào', en: 'Not synced yet' },
  syncing: { vi: 'Đang gửi…', en: 'Sending…' },
  offline: { vi: 'Không có mạng – phiếu được lưu trên máy và sẽ tự gửi khi có mạng.', en: 'Offline – responses are kept on this device and sent when the network is back.' },
  offlineShort: { vi: 'Không có mạng', en: 'Offline' },
  syncNow: { vi: 'Gửi ngay', en: 'Send now' },
  download: { vi: 'Tải danh sách', en: 'Download list' },
  downloaded: { vi: 'Đã tải lúc {time}', en: 'Downloaded at {time}' },
  syncError: { vi: 'Lỗi khi gửi: {message}', en: 'Sending failed: {message}' },
  networkError: { vi: 'không kết nối được máy chủ', en: 'the server could not be reached' },
  serverError: { vi: 'máy chủ trả lỗi {status}', en: 'the server answered {status}' },
  assignments: { vi: 'Danh sách được giao ({count})', en: 'Assigned units ({count})' },
  noAssignments: { vi: 'Chưa có đơn vị mẫu nào được giao. Bấm "Tải danh sách" khi có mạng.', en: 'No units assigned yet. Press "Download list" when online.' },
  start: { vi: 'Bắt đầu phỏng vấn', en: 'Start interview' },
  resume: { vi: 'Tiếp tục phiếu', en: 'Resume' },
  notInterviewed: { vi: 'Không phỏng vấn được', en: 'Not interviewed' },
  outcome: { vi: 'Kết quả tiếp xúc', en: 'Contact outcome' },
  note: { vi: 'Ghi chú', en: 'Note' },
  save: { vi: 'Lưu', en: 'Save' },
  cancel: { vi: 'Huỷ', en: 'Cancel' },
  notInList: { vi: 'không còn trong danh sách được giao', en: 'no longer in your list' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  province: { vi: 'Tỉnh', en: 'Province' },
  formMissing: { vi: 'Chưa tải được phiếu hỏi của đợt này. Hãy kết nối mạng và bấm "Tải danh sách".', en: 'The questionnaire of this round is not on this device. Go online and press "Download list".' },
  section: { vi: 'Phần {n}/{total}', en: 'Section {n} of {total}' },
  back: { vi: 'Quay lại', en: 'Back' },
  next: { vi: 'Tiếp', en: 'Next' },
  complete: { vi: 'Hoàn thành phiếu', en: 'Complete' },
  toList: { vi: '← Danh sách', en: '← List' },
  draftSaved: { vi: 'Đã lưu bản nháp lúc {time}', en: 'Draft saved at {time}' },
  fixBelow: { vi: 'Còn {count} câu cần sửa trong phần này.', en: '{count} questions in this section need attention.' },
  completed: { vi: 'Đã hoàn thành phiếu. Phiếu sẽ được gửi khi có mạng.', en: 'Response completed. It will be sent when online.' },
  notApplicable: { vi: 'Không áp dụng', en: 'Not applicable' },
  optional: { vi: '(không bắt buộc)', en: '(optional)' },
  chooseUpTo: { vi: 'Chọn tối đa {max}', en: 'Choose up to {max}' },
  charsLeft: { vi: 'Còn {count} ký tự', en: '{count} characters left' },
  serverRejected: { vi: 'Máy chủ chưa nhận phiếu này:', en: 'The server did not accept this response:' },
  correct: { vi: 'Sửa phiếu', en: 'Correct it' },
  retry: { vi: 'Gửi lại', en: 'Send again' },
  recordLocation: { vi: 'Ghi vị trí khi bắt đầu phỏng vấn', en: 'Record the location when an interview starts' },
  respondent: { vi: 'Người được hỏi', en: 'Respondent' },
  statusEvent: { vi: 'Cập nhật trạng thái {unit}', en: 'Status of {unit}' },
  responseOf: { vi: 'Phiếu của {unit}', en: 'Response for {unit}' },
  'status.not-started': { vi: 'Chưa bắt đầu', en: 'Not started' },
  'status.in-progress': { vi: 'Đang làm', en: 'In progress' },
  'status.completed': { vi: 'Đã hoàn thành', en: 'Completed' },
  'status.queued': { vi: 'Hoàn thành – chờ gửi', en: 'Completed – waiting to send' },
  'status.refused': { vi: 'Từ chối', en: 'Refused' },
  'status.not-reachable': { vi: 'Không liên lạc được', en: 'Not reachable' },
  'status.needs-correction': { vi: 'Cần sửa', en: 'Needs correction' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** The app's messages in a language: `const t = translate(lang)`, then `t(key, vars)`. */
export const translate = translator(MESSAGES);

/** A time as the app shows it: short date and time to the second, in the language's style. */
export const formatTime = (iso: string | null, lang: Lang): string =>
  iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '';

/** The text of a questionnaire label in the language. */
export function label(text: LocalizedText, lang: Lang): string {
  return text[lang];
}

/**
 * What a problem found by the questionnaire validator or the server means, in words an
 * enumerator understands. The item (when the problem is about one) supplies the limits.
 */
export function problemMessage(problem: Problem, lang: Lang, item?: Item): string {
  const vi = lang === 'vi';
  switch (problem.code) {
    case 'required':
      return vi ? 'Câu này bắt buộc phải trả lời.' : 'This question must be answered.';
    case 'not_in_options':
      return vi ? 'Hãy chọn một trong các phương án.' : 'Choose one of the options.';
    case 'wrong_type':
      if (item?.type === 'integer') return vi ? 'Hãy nhập một số nguyên (chỉ gồm chữ số).' : 'Enter a whole number (digits only).';
      return vi ? 'Câu trả lời không đúng dạng.' : 'The answer has the wrong form.';
    case 'too_small':
      if (item?.type === 'integer' && item.minimum !== undefined) return vi ? `Số phải từ ${item.minimum} trở lên.` : `The number must be at least ${item.minimum}.`;
      return vi ? 'Giá trị quá nhỏ.' : 'The value is too small.';
    case 'too_large':
      if (item?.type === 'integer' && item.maximum !== undefined) return vi ? `Số không được lớn hơn ${item.maximum}.` : `The number must be at most ${item.maximum}.`;
      return vi ? 'Giá trị quá lớn.' : 'The value is too large.';
    case 'too_long': {
      const max = item?.type === 'text' ? (item.maxLength ?? 2000) : undefined;
      return vi ? `Câu trả lời quá dài${max ? ` (tối đa ${max} ký tự)` : ''}.` : `The answer is too long${max ? ` (at most ${max} characters)` : ''}.`;
    }
    case 'too_few': {
      const min = item?.type === 'multiple' ? item.minSelected : undefined;
      return vi ? `Hãy chọn ít nhất ${min ?? 1} phương án.` : `Choose at least ${min ?? 1} options.`;
    }
    case 'too_many': {
      const max = item?.type === 'multiple' ? item.maxSelected : undefined;
      return vi ? `Chỉ được chọn tối đa ${max ?? ''} phương án.` : `Choose at most ${max ?? ''} options.`;
    }
    case 'repeated':
      return vi ? 'Một phương án bị chọn hai lần.' : 'An option is chosen twice.';
    case 'not_asked':
      return vi ? 'Theo các câu trả lời trước, câu này không được hỏi; hãy xoá câu trả lời.' : 'Given the earlier answers this question is not asked; clear its answer.';
    case 'unknown_field':
      return vi ? 'Không phải câu hỏi của phiên bản phiếu này.' : 'Not a question of this questionnaire version.';
    case 'round_closed':
      return vi ? 'Đợt khảo sát đã đóng, không nhận thêm phiếu. Hãy báo giám sát viên.' : 'The survey round is closed and takes no more responses. Tell your supervisor.';
    case 'unknown_round':
      return vi ? 'Đợt khảo sát không còn trên máy chủ.' : 'The survey round no longer exists on the server.';
    case 'wrong_form':
      return vi ? 'Phiếu không đúng phiên bản của đợt khảo sát.' : 'The response uses another questionnaire version than the round.';
    case 'unknown_province':
      return vi ? 'Tỉnh không thuộc danh mục của đợt khảo sát.' : 'The province is not one of the round’s provinces.';
    case 'conflict':
      return vi
        ? 'Máy chủ đã có một phiếu cùng mã nhưng nội dung khác. Phiếu trên máy được giữ lại; hãy báo giám sát viên.'
        : 'The server already holds a response with this id and other content. The copy on this device is kept; tell your supervisor.';
    case 'not_assigned':
      return vi ? 'Đơn vị mẫu này không còn được giao cho bạn.' : 'This sample unit is no longer assigned to you.';
    case 'already_completed':
      return vi ? 'Đơn vị mẫu này đã có một phiếu khác hoàn thành.' : 'Another response already completed this sample unit.';
    case 'unknown_sample_unit':
      return vi ? 'Đơn vị mẫu không có trong danh sách mẫu của đợt.' : 'The unit is not in the round’s sample.';
    case 'wrong_province':
      return vi ? 'Tỉnh của phiếu khác với tỉnh của đơn vị mẫu.' : 'The province differs from the sample unit’s province.';
    default:
      // A code this version of the app does not know: the server's own words are better than nothing.
      return problem.message;
  }
}
