import { translator, type Lang } from '../../shared/i18n';

export type { Lang };

/** The supervisor dashboard's words. */
const MESSAGES = {
  title: { vi: 'SIPAS – Giám sát tiến độ và chất lượng', en: 'SIPAS – Progress and quality supervision' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  logIn: { vi: 'Đăng nhập', en: 'Log in' },
  logOut: { vi: 'Đăng xuất', en: 'Log out' },
  loginFailed: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  error: { vi: 'Lỗi: {message}', en: 'Error: {message}' },
  notSupervisor: { vi: 'Trang này dành cho giám sát viên và quản trị viên.', en: 'This dashboard is for supervisors and administrators.' },
  round: { vi: 'Đợt khảo sát', en: 'Round' },
  noRound: { vi: 'Chưa có đợt khảo sát nào.', en: 'No survey round yet.' },
  updated: { vi: 'Cập nhật lúc {time}', en: 'Updated at {time}' },
  quotaGrid: { vi: 'Chỉ tiêu theo ô', en: 'Quota grid' },
  allLevels: { vi: 'Mọi cấp', en: 'All levels' },
  allFields: { vi: 'Mọi lĩnh vực', en: 'All fields' },
  level: { vi: 'Cấp phục vụ', en: 'Serving level' },
  field: { vi: 'Lĩnh vực', en: 'Service field' },
  respondentType: { vi: 'Đối tượng', en: 'Respondent type' },
  anyType: { vi: 'Tất cả', en: 'All' },
  province: { vi: 'Tỉnh', en: 'Province' },
  provinceTotal: { vi: 'Tổng {name}', en: '{name} total' },
  target: { vi: 'Chỉ tiêu', en: 'Target' },
  accepted: { vi: 'Đạt', en: 'Accepted' },
  progress: { vi: 'Tiến độ', en: 'Progress' },
  awaitingReview: { vi: 'Chờ duyệt', en: 'Awaiting review' },
  flagged: { vi: 'Bị gắn cờ', en: 'Flagged' },
  rejected: { vi: 'Bị loại', en: 'Rejected' },
  unchecked: { vi: 'Chưa kiểm tra', en: 'Not checked yet' },
  responseRate: { vi: 'Tỷ lệ trả lời', en: 'Response rate' },
  pace: { vi: 'Tốc độ và dự báo', en: 'Pace and forecast' },
  perDay: { vi: 'Phiếu/ngày (7 ngày qua)', en: 'Per day (last 7 days)' },
  forecast: { vi: 'Dự kiến hoàn thành', en: 'Projected completion' },
  fieldworkEnd: { vi: 'Kết thúc thực địa: {date}', en: 'Fieldwork ends: {date}' },
  status_reached: { vi: 'Đã đạt', en: 'Reached' },
  'status_on-track': { vi: 'Kịp tiến độ', en: 'On track' },
  status_late: { vi: 'Chậm {days} ngày', en: '{days} days late' },
  status_stalled: { vi: 'Không có phiếu mới', en: 'Stalled' },
  'status_no-target': { vi: 'Chưa có chỉ tiêu', en: 'No target' },
  enumerators: { vi: 'Điều tra viên', en: 'Enumerators' },
  enumerator: { vi: 'Điều tra viên', en: 'Enumerator' },
  responses: { vi: 'Số phiếu', en: 'Responses' },
  completedPerDay: { vi: 'Phiếu/ngày làm việc', en: 'Completed per day' },
  shareFlagged: { vi: 'Tỷ lệ bị gắn cờ', en: 'Share flagged' },
  lastDay: { vi: 'Ngày gần nhất', en: 'Last day' },
  reviewQueue: { vi: 'Phiếu chờ duyệt ({count})', en: 'Review queue ({count})' },
  emptyQueue: { vi: 'Không có phiếu nào chờ duyệt.', en: 'Nothing awaits review.' },
  interview: { vi: 'Phỏng vấn', en: 'Interview' },
  flags: { vi: 'Cảnh báo', en: 'Flags' },
  reason: { vi: 'Lý do', en: 'Reason' },
  approve: { vi: 'Duyệt', en: 'Approve' },
  reject: { vi: 'Loại', en: 'Reject' },
  open: { vi: 'Xem phiếu', en: 'Open' },
  close: { vi: 'Đóng', en: 'Close' },
  reasonNeeded: { vi: 'Hãy ghi lý do (ít nhất 3 ký tự).', en: 'Give a reason (at least 3 characters).' },
  failed: { vi: 'Lỗi: {message}', en: 'Failed: {message}' },
  rule_too_fast: { vi: 'Quá nhanh', en: 'Too fast' },
  'rule_straight-lining': { vi: 'Trả lời một kiểu', en: 'Straight-lining' },
  'rule_duplicate-respondent': { vi: 'Trùng người trả lời', en: 'Duplicate respondent' },
  'rule_overlapping-interviews': { vi: 'Phỏng vấn chồng giờ', en: 'Overlapping interviews' },
  'rule_out-of-area': { vi: 'Ngoài địa bàn', en: 'Out of area' },
  'rule_identical-keyed-form': { vi: 'Phiếu nhập trùng hệt phiếu khác', en: 'Keyed form identical to another' },
} as const;

export type MessageKey = keyof typeof MESSAGES;

/** The dashboard's messages in a language: `const t = translate(lang)`, then `t(key, vars)`. */
export const translate = translator(MESSAGES);

/** The message of a quality rule; unknown rules show as they are. */
export function ruleLabel(lang: Lang, rule: string): string {
  const key = `rule_${rule === 'too-fast' ? 'too_fast' : rule}` as MessageKey;
  return key in MESSAGES ? translate(lang)(key) : rule;
}
