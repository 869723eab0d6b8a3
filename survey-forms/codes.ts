// One table on purpose: a reader finds every code clients can meet, and its words in both languages, in one place.
/**
 * The catalogue of codes the API puts on the wire, with what each means in Vietnamese and English.
 *
 * Pure and browser-safe: it imports nothing, so the browser apps import it at runtime and show a
 * code in the user's language, while the server takes its codes (and its English messages) from here.
 * Codes are stable: clients branch on them; a new meaning gets a new code.
 *
 * - An entry with a `status` is an error code: the `error.code` of a reply with that HTTP status,
 *   `{ "error": { "code", "message", "details"? } }`.
 * - Every entry may be a problem code: the `code` of one problem in `error.details` or in the
 *   per-item `errors` of a batch (`POST /api/v1/responses`), where the problem's `path` says where.
 *
 * The messages here are the general words for a code; the `message` the server sends with it says
 * the particulars (which field, which limit). The Vietnamese and English of the codes that reach
 * enumerators are the ones their app shows.
 */
export const CODES = {
  // Errors: the `error.code` of a reply, with its HTTP status.
  invalid_json: { status: 400, vi: 'Nội dung yêu cầu không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, vi: 'Yêu cầu không hợp lệ.', en: 'The request is not valid.' },
  unauthenticated: { status: 401, vi: 'Hãy đăng nhập trước: cần một mã đăng nhập (bearer token) hợp lệ.', en: 'Log in first: this needs a valid bearer token.' },
  login_failed: { status: 401, vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  forbidden: { status: 403, vi: 'Vai trò của bạn không được làm việc này.', en: 'Your role may not do this.' },
  not_found: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  already_exists: { status: 409, vi: 'Đã có một bản ghi cùng tên hoặc cùng mã.', en: 'Something with this name or id already exists.' },
  already_completed: { status: 409, vi: 'Đơn vị mẫu này đã có một phiếu khác hoàn thành.', en: 'Another response already completed this sample unit.' },
  not_checked_yet: { status: 409, vi: 'Phiếu chưa được kiểm tra chất lượng; hãy duyệt sau khi kiểm tra xong.', en: 'The response has not been checked yet; decide once its quality checks have run.' },
  stale_decision: { status: 409, vi: 'Phiếu vừa được người khác duyệt; hãy tải lại.', en: 'Someone else decided on this response meanwhile; reload it.' },
  export_not_ready: { status: 409, vi: 'Tệp xuất dữ liệu chưa sẵn sàng (đang chờ, đang chạy hoặc bị lỗi).', en: 'The export\'s file is not ready (queued, running or failed).' },
  release_approved: { status: 409, vi: 'Bản công bố này đã được phê duyệt; số liệu của nó không bao giờ thay đổi.', en: 'This release is already approved; its figures never change.' },
  same_person: {
    status: 403,
    vi: 'Người chuẩn bị bản công bố không được tự phê duyệt: cần một quản trị viên khác.',
    en: 'The person who prepared a release may not approve it: another administrator must.',
  },
  gone: { status: 410, vi: 'Không còn nữa.', en: 'This is no longer available.' },
  link_used: {
    status: 410,
    vi: 'Đường dẫn trả lời này đã được dùng: câu trả lời đã được nhận.',
    en: 'This respondent link has been used: the answers were received.',
  },
  link_expired: {
    status: 410,
    vi: 'Đường dẫn trả lời này đã hết hạn: đợt khảo sát đã kết thúc thu thập.',
    en: 'This respondent link has expired: the round’s fieldwork is over.',
  },
  too_many_requests: { status: 429, vi: 'Quá nhiều yêu cầu; hãy thử lại sau ít phút.', en: 'Too many requests; try again in a few minutes.' },
  unreadable_body: {
    status: 400,
    vi: 'Không đọc được nội dung yêu cầu: nội dung không khớp với Content-Encoding đã khai (gzip, br, deflate) hoặc bị cắt ngang.',
    en: 'The request body could not be read: it does not match its Content-Encoding (gzip, br, deflate), or it was cut off.',
  },
  payload_too_large: { status: 413, vi: 'Nội dung yêu cầu quá lớn.', en: 'The request body is too large.' },
  unsupported_media_type: { status: 415, vi: 'Hãy gửi JSON với Content-Type: application/json.', en: 'Send JSON with Content-Type: application/json.' },
  login_throttled: {
    status: 429,
    vi: 'Đăng nhập sai quá nhiều lần; tài khoản hoặc địa chỉ này tạm bị khoá, hãy thử lại sau.',
    en: 'Too many failed logins: this account or address is locked for a while; try again later.',
  },
  busy: { status: 503, vi: 'Máy chủ đang bận; hãy thử lại sau giây lát.', en: 'The server is busy; try again in a moment.' },
  not_ready: { status: 503, vi: 'Một dịch vụ mà API cần đang không truy cập được.', en: 'A service the API depends on is not reachable.' },
  internal: { status: 500, vi: 'Máy chủ gặp lỗi; lỗi đã được ghi lại.', en: 'Something went wrong on our side; it has been logged.' },

  // Problems with a value: the shape or the range of an answer or a field.
  required: { vi: 'Câu này bắt buộc phải trả lời.', en: 'This question must be answered.' },
  unknown_field: { vi: 'Không phải câu hỏi của phiên bản phiếu này.', en: 'Not a question of this questionnaire version.' },
  not_in_options: { vi: 'Hãy chọn một trong các phương án.', en: 'Choose one of the options.' },
  not_allowed: { vi: 'Giá trị này không được phép ở đây.', en: 'This value is not allowed here.' },
  wrong_type: { vi: 'Câu trả lời không đúng dạng.', en: 'The answer has the wrong form.' },
  wrong_format: { vi: 'Giá trị không đúng định dạng.', en: 'The value is not in the expected format.' },
  too_small: { vi: 'Giá trị quá nhỏ.', en: 'The value is too small.' },
  too_large: { vi: 'Giá trị quá lớn.', en: 'The value is too large.' },
  too_short: { vi: 'Câu trả lời quá ngắn.', en: 'The answer is too short.' },
  too_long: { vi: 'Câu trả lời quá dài.', en: 'The answer is too long.' },
  too_few: { vi: 'Quá ít mục.', en: 'Too few entries.' },
  too_many: { vi: 'Quá nhiều mục.', en: 'Too many entries.' },
  repeated: { vi: 'Một phương án bị chọn hai lần.', en: 'An option is chosen twice.' },
  not_asked: { vi: 'Theo các câu trả lời trước, câu này không được hỏi; hãy xoá câu trả lời.', en: 'Given the earlier answers this question is not asked; clear its answer.' },
  not_valid: { vi: 'Giá trị không hợp lệ.', en: 'The value is not valid.' },
  too_deep: { vi: 'Dữ liệu lồng nhau quá nhiều tầng.', en: 'The value is nested too deeply.' },
  invalid_csv: { vi: 'Tệp không đọc được dưới dạng CSV.', en: 'The file is not readable CSV.' },
  invalid_xlsx: { vi: 'Tệp không đọc được dưới dạng bảng tính Excel (XLSX).', en: 'The file is not a readable Excel workbook (XLSX).' },

  // A batch item whose id is already stored with other content (the item's status is `conflict` too).
  conflict: {
    vi: 'Máy chủ đã có một phiếu cùng mã nhưng nội dung khác. Phiếu trên máy được giữ lại; hãy báo giám sát viên.',
    en: 'The server already holds a response with this id and other content. The copy on this device is kept; tell your supervisor.',
  },

  // Problems with what a value names: a round, a questionnaire, a unit, a province, a user.
  unknown_round: { vi: 'Đợt khảo sát không còn trên máy chủ.', en: 'The survey round no longer exists on the server.' },
  round_closed: { vi: 'Đợt khảo sát đã đóng, không nhận thêm phiếu. Hãy báo giám sát viên.', en: 'The survey round is closed and takes no more responses. Tell your supervisor.' },
  wrong_form: { vi: 'Phiếu không đúng phiên bản của đợt khảo sát.', en: 'The response uses another questionnaire version than the round.' },
  unknown_province: { vi: 'Tỉnh không thuộc danh mục của đợt khảo sát.', en: 'The province is not one of the round’s provinces.' },
  unknown_sample_unit: { vi: 'Đơn vị mẫu không có trong danh sách mẫu của đợt.', en: 'The unit is not in the round’s sample.' },
  wrong_province: { vi: 'Tỉnh của phiếu khác với tỉnh của đơn vị mẫu.', en: 'The province differs from the sample unit’s province.' },
  not_assigned: { vi: 'Đơn vị mẫu này không còn được giao cho bạn.', en: 'This sample unit is no longer assigned to you.' },
  province_not_yours: {
    vi: 'Tỉnh này không thuộc địa bàn được giao cho bạn.',
    en: 'This province is not one of yours.',
  },
  assigned_to_other: {
    vi: 'Đơn vị mẫu đang được giao cho một điều tra viên khác; hãy giao lại đơn vị trước khi nộp phiếu cho nó.',
    en: 'The sample unit is assigned to another enumerator; reassign it before submitting a response for it.',
  },
  post_office_not_yours: {
    vi: 'Bưu điện này không thuộc phạm vi được giao cho bạn.',
    en: 'This post office is not one of yours.',
  },
  unknown_post_office: { vi: 'Không có bưu điện nào mang mã này (hoặc bưu điện không thuộc tỉnh này).', en: 'No post office has this code (or it is not in this province).' },
  not_returned: { vi: 'Phiếu được sửa phải là một phiếu đã bị trả lại cho chính bạn và chưa được sửa.', en: 'A correction must name a response returned to you and not corrected yet.' },
  already_corrected: { vi: 'Phiếu bị trả lại này đã có một phiếu sửa khác.', en: 'This returned response already has another correction.' },
  cawi_not_allowed: { vi: 'Đợt khảo sát này không cho phép người được hỏi tự trả lời trực tuyến.', en: 'This round does not allow respondents to answer online.' },
  already_imported: { vi: 'Đơn vị mẫu đã có trong danh sách mẫu của đợt.', en: 'The unit is already in the round’s sample.' },
  unknown_user: { vi: 'Không có người dùng nào tên này.', en: 'No user has this name.' },
  user_inactive: { vi: 'Tài khoản này đã bị khoá; không giao việc cho tài khoản bị khoá.', en: 'This account is deactivated; it gets no work.' },
  unknown_form: { vi: 'Không có phiếu hỏi hoặc phiên bản này.', en: 'No such questionnaire or version.' },
  unknown_definition: { vi: 'Không có định nghĩa chỉ số hoặc phiên bản này.', en: 'No such index definition or version.' },
  not_published: { vi: 'Phiên bản này còn là bản nháp, chưa được ban hành.', en: 'This version is a draft, not published.' },
  not_applicable: { vi: 'Không áp dụng được cho trường hợp này.', en: 'This does not apply here.' },
  not_approved: { vi: 'Bản công bố chưa được phê duyệt.', en: 'The release is not approved.' },
  not_available: { vi: 'Không có số liệu cho yêu cầu này.', en: 'There are no figures for this request.' },

  // Modes and keyed paper forms (papi).
  mode_not_allowed: { vi: 'Đợt khảo sát không nhận phiếu theo phương thức thu thập này.', en: 'The round does not take responses collected in this mode.' },
  wrong_check_digit: { vi: 'Số phiếu sai chữ số kiểm tra: hãy đọc lại số in trên phiếu.', en: 'The serial’s check digits are wrong: read the number printed on the form again.' },
  same_keyer: {
    vi: 'Lần nhập thứ hai phải do người khác nhập: bạn đã nhập lần thứ nhất của phiếu này.',
    en: 'The second keying must be by someone else: you keyed this form the first time.',
  },
  wrong_serial: { vi: 'Số phiếu không thuộc đợt khảo sát hoặc đơn vị mẫu của phiếu.', en: 'The serial belongs to another round or sample unit than the response.' },
  // Problems with a new password: what the administrator is told (POST /users, password changes).
  password_too_short: { vi: 'Mật khẩu quá ngắn.', en: 'The password is too short.' },
  password_blank: { vi: 'Mật khẩu không được chỉ gồm dấu cách.', en: 'The password must not be only spaces.' },
  password_common: {
    vi: 'Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.',
    en: 'This password is on the list of common passwords and easy to guess; choose another.',
  },
  password_contains_username: { vi: 'Mật khẩu không được chứa tên đăng nhập.', en: 'The password must not contain the username.' },

  // Problems of a questionnaire or index definition file, found when it is loaded.
  unknown_item: { vi: 'Không có câu hỏi này trong phiếu.', en: 'The questionnaire has no such item.' },
  unknown_scale: { vi: 'Không có thang đo này trong phiếu.', en: 'The questionnaire has no such scale.' },
  unknown_code: { vi: 'Không có mã này trong các phương án.', en: 'No option has this code.' },
  unknown_code_list: { vi: 'Không có danh mục mã này.', en: 'No such code list.' },
  unknown_indicator: { vi: 'Không có chỉ số này trong định nghĩa.', en: 'The definition has no such indicator.' },
  not_a_scale: { vi: 'Câu hỏi này không dùng thang đo.', en: 'This item is not a scale item.' },
  wrong_level: { vi: 'Chỉ số ở sai cấp.', en: 'The indicator is at the wrong level.' },
  overall: { vi: 'Cần đúng một chỉ số chung (cấp overall).', en: 'There must be exactly one overall indicator.' },
  orphan: { vi: 'Chỉ số không thuộc chỉ số nào ở cấp trên, nên không được tính.', en: 'The indicator is no child of any indicator, so it counts nowhere.' },

  // Respondent links withdrawn by a supervisor.
  link_withdrawn: {
    status: 410,
    vi: 'Đường dẫn trả lời này đã bị thu hồi; nếu Ông/Bà nhận được đường dẫn mới, hãy dùng đường dẫn đó.',
    en: 'This respondent link was withdrawn; if you were given a new link, use that one.',
  },
} as const satisfies Record<string, LocalizedMessage & { status?: number }>;

/** A message in the two languages of the platform. */
export interface LocalizedMessage {
  vi: string;
  en: string;
}

export type Lang = keyof LocalizedMessage;

/** Every code of the catalogue: any of them may be the code of a problem. */
export type Code = keyof typeof CODES;

/** The code of one problem in `error.details` or in a batch item's `errors`. */
export type ProblemCode = Code;

/** The codes that are also an `error.code`, each with its HTTP status. */
export type ErrorCode = { [C in Code]: (typeof CODES)[C] extends { status: number } ? C : never }[Code];

/** The error codes in catalogue order (the OpenAPI document lists them). */
export const ERROR_CODES: ReadonlyArray<ErrorCode> = (Object.keys(CODES) as Code[]).filter((c): c is ErrorCode => 'status' in CODES[c]);

/** Whether a code received from the server is in this catalogue (a newer server may send one that is not). */
export function isCode(value: string): value is Code {
  return Object.prototype.hasOwnProperty.call(CODES, value);
}

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return CODES[code].status;
}

/** The general words for a code in a language. */
export function codeMessage(code: Code, lang: Lang): string {
  return CODES[code][lang];
}
