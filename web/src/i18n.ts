import type { Problem } from '../../survey-forms/ajv';
import type { Item, LocalizedText } from '../../survey-forms/form-definition.schema';
import { codeMessage, isCode, type Code } from '../../survey-forms/codes';
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
  overviewSummary: { vi: '{done}/{total} phần xong', en: '{done} of {total} sections complete' },
  overviewErrors: { vi: '{count} phần có lỗi', en: '{count} with errors' },
  'state.complete': { vi: 'Xong', en: 'Complete' },
  'state.errors': { vi: 'Có lỗi', en: 'Has errors' },
  'state.open': { vi: 'Chưa xong', en: 'Not complete' },
  reviewTitle: { vi: 'Xem lại trước khi hoàn thành', en: 'Review before completing' },
  reviewMustFix: { vi: 'Còn {count} câu phải trả lời hoặc sửa:', en: '{count} questions must be answered or corrected:' },
  reviewUnanswered: { vi: '{count} câu chưa trả lời (không bắt buộc):', en: '{count} questions left unanswered (optional):' },
  reviewAllAnswered: { vi: 'Tất cả các câu đều đã được trả lời.', en: 'Every question is answered.' },
  reviewFixFirst: { vi: 'Sửa câu đầu tiên', en: 'Fix the first one' },
  confirmComplete: { vi: 'Xác nhận hoàn thành phiếu', en: 'Confirm and complete' },
  confirmCompleteAnyway: { vi: 'Vẫn hoàn thành phiếu', en: 'Complete anyway' },
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
  answeredOnline: { vi: 'Người được hỏi đã tự trả lời trực tuyến: không cần phát hay thu phiếu giấy.', en: 'The respondent answered online: no paper form to deliver or collect.' },
  'status.not-started': { vi: 'Chưa bắt đầu', en: 'Not started' },
  'status.in-progress': { vi: 'Đang làm', en: 'In progress' },
  'status.completed': { vi: 'Đã hoàn thành', en: 'Completed' },
  'status.queued': { vi: 'Hoàn thành – chờ gửi', en: 'Completed – waiting to send' },
  'status.refused': { vi: 'Từ chối', en: 'Refused' },
  'status.not-reachable': { vi: 'Không liên lạc được', en: 'Not reachable' },
  'status.needs-correction': { vi: 'Cần sửa', en: 'Needs correction' },
  'status.appointment': { vi: 'Đã hẹn', en: 'Appointment' },
  'status.revisit': { vi: 'Cần quay lại', en: 'Revisit' },
  'status.returned': { vi: 'Bị trả lại – cần sửa', en: 'Returned – to correct' },
  appointmentAt: { vi: 'Ngày giờ hẹn', en: 'Appointment date and time' },
  appointmentOn: { vi: 'Hẹn lúc {time}', en: 'Appointment at {time}' },
  appointmentNeeded: { vi: 'Hãy chọn ngày giờ hẹn.', en: 'Choose the appointment’s date and time.' },
  returnedTitle: { vi: 'Phiếu bị trả lại để sửa ({count})', en: 'Responses returned for correction ({count})' },
  returnedBy: { vi: 'Giám sát viên {name} trả lại lúc {time}: {reason}', en: 'Returned by {name} at {time}: {reason}' },
  supervisorComment: { vi: 'Ghi chú của giám sát viên', en: 'Supervisor’s comment' },
  correctReturned: { vi: 'Sửa và gửi lại', en: 'Correct and resend' },
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
 * enumerator understands: the item (when the problem is about one) supplies the limits, the
 * catalogue of codes the rest.
 */
export function problemMessage(problem: Problem, lang: Lang, item?: Item): string {
  // A code this version of the app does not know: the server's own words are better than nothing.
  if (!isCode(problem.code)) return problem.message;
  return itemLimitMessage(problem.code, lang, item) ?? codeMessage(problem.code, lang);
}

/** The message that names the item's own limit, when the item has one for this code. */
function itemLimitMessage(code: Code, lang: Lang, item?: Item): string | undefined {
  const vi = lang === 'vi';
  if (code === 'wrong_type' && item?.type === 'integer') return vi ? 'Hãy nhập một số nguyên (chỉ gồm chữ số).' : 'Enter a whole number (digits only).';
  if (code === 'too_small' && item?.type === 'integer' && item.minimum !== undefined) return vi ? `Số phải từ ${item.minimum} trở lên.` : `The number must be at least ${item.minimum}.`;
  if (code === 'too_large' && item?.type === 'integer' && item.maximum !== undefined) return vi ? `Số không được lớn hơn ${item.maximum}.` : `The number must be at most ${item.maximum}.`;
  if (code === 'too_long' && item?.type === 'text') {
    const max = item.maxLength ?? 2000;
    return vi ? `Câu trả lời quá dài (tối đa ${max} ký tự).` : `The answer is too long (at most ${max} characters).`;
  }
  if (code === 'too_few' && item?.type === 'multiple') return vi ? `Hãy chọn ít nhất ${item.minSelected ?? 1} phương án.` : `Choose at least ${item.minSelected ?? 1} options.`;
  if (code === 'too_many' && item?.type === 'multiple' && item.maxSelected !== undefined) return vi ? `Chỉ được chọn tối đa ${item.maxSelected} phương án.` : `Choose at most ${item.maxSelected} options.`;
  return undefined;
}
