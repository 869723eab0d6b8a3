import { translator } from '../../shared/i18n';

/** The respondent page's words (the questionnaire's own are in its data, the form runner's in web/src/i18n.ts). */
export const translate = translator({
  title: { vi: 'Phiếu khảo sát SIPAS', en: 'SIPAS questionnaire' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  loading: { vi: 'Đang mở phiếu…', en: 'Opening the questionnaire…' },
  consentTitle: { vi: 'Trước khi bắt đầu', en: 'Before you start' },
  agree: { vi: 'Tôi đồng ý, bắt đầu trả lời', en: 'I agree, start' },
  resumed: { vi: 'Các câu trả lời đã lưu trên máy này được mở lại.', en: 'The answers kept on this device were opened again.' },
  savedOnDevice: { vi: 'Đã lưu trên máy này lúc {time}', en: 'Kept on this device at {time}' },
  sending: { vi: 'Đang gửi…', en: 'Sending…' },
  doneTitle: { vi: 'Cảm ơn Ông/Bà!', en: 'Thank you!' },
  done: { vi: 'Câu trả lời đã được nhận. Ông/Bà có thể đóng trang này.', en: 'Your answers were received. You may close this page.' },
  usedTitle: { vi: 'Câu trả lời đã được nhận', en: 'Your answers were received' },
  used: { vi: 'Phiếu của đường dẫn này đã được gửi. Đường dẫn chỉ dùng được một lần.', en: 'The questionnaire of this link was sent. The link can be used only once.' },
  expiredTitle: { vi: 'Đường dẫn đã hết hạn', en: 'The link has expired' },
  expired: { vi: 'Đợt khảo sát đã kết thúc thu thập thông tin.', en: 'The survey’s fieldwork is over.' },
  withdrawnTitle: { vi: 'Đường dẫn đã bị thu hồi', en: 'The link was withdrawn' },
  withdrawn: { vi: 'Nếu Ông/Bà đã nhận được đường dẫn hoặc phiếu mới, hãy dùng đường dẫn đó.', en: 'If you were given a new link or a new paper form, use that one.' },
  unknownTitle: { vi: 'Không tìm thấy phiếu hỏi', en: 'No questionnaire found' },
  unknown: { vi: 'Hãy mở lại đường dẫn (hoặc quét mã QR) in trên phiếu giấy.', en: 'Open the address (or scan the QR code) printed on the paper questionnaire again.' },
  busyTitle: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
  busy: { vi: 'Hãy thử lại sau ít phút. Câu trả lời vẫn được lưu trên máy này.', en: 'Try again in a few minutes. Your answers are still kept on this device.' },
  offlineTitle: { vi: 'Chưa gửi được', en: 'Not sent yet' },
  offline: { vi: 'Không kết nối được máy chủ. Câu trả lời vẫn được lưu trên máy này; hãy thử gửi lại.', en: 'The server could not be reached. Your answers are kept on this device; try sending again.' },
  retry: { vi: 'Gửi lại', en: 'Send again' },
});
