import { translator, type Lang } from '../../shared/i18n';

export type { Lang };

const MESSAGES = {
  title: { vi: 'Kết quả SIPAS {year}', en: 'SIPAS {year} results' },
  subtitle: { vi: 'Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước', en: 'Satisfaction index of public administrative services' },
  release: { vi: 'Bản công bố {id}, công bố ngày {date}', en: 'Release {id}, published {date}' },
  correction: { vi: 'Bản đính chính của {id}: {reason}', en: 'Correction of {id}: {reason}' },
  correctedBy: { vi: 'Đã có bản đính chính {id}.', en: 'Corrected by release {id}.' },
  national: { vi: 'Trung bình toàn quốc', en: 'National mean' },
  interval: { vi: 'Khoảng tin cậy 95%', en: '95% interval' },
  change: { vi: 'So với năm trước', en: 'Against last year' },
  points: { vi: '{value} điểm %', en: '{value} points' },
  indicator: { vi: 'Chỉ số', en: 'Indicator' },
  unitType: { vi: 'Loại đơn vị hành chính', en: 'Administrative-unit type' },
  region: { vi: 'Vùng kinh tế – xã hội', en: 'Socio-economic region' },
  all: { vi: 'Tất cả', en: 'All' },
  ranking: { vi: 'Xếp hạng các tỉnh, thành phố', en: 'Provinces ranked' },
  chart: { vi: 'Biểu đồ xếp hạng; đường dọc là trung bình toàn quốc', en: 'Ranking chart; the vertical line is the national mean' },
  rank: { vi: 'Hạng', en: 'Rank' },
  province: { vi: 'Tỉnh, thành phố', en: 'Province' },
  value: { vi: 'Giá trị (%)', en: 'Value (%)' },
  n: { vi: 'Số người trả lời', en: 'Respondents' },
  changePoints: { vi: 'Thay đổi (điểm)', en: 'Change (points)' },
  changePlaces: { vi: 'Thay đổi thứ hạng', en: 'Change of rank' },
  downloads: { vi: 'Tải bảng số liệu', en: 'Download the table' },
  sha: { vi: 'SHA-256', en: 'SHA-256' },
  permalink: { vi: 'Đường dẫn cố định của bản công bố này', en: 'Permanent link of this release' },
  releases: { vi: 'Các bản công bố', en: 'Releases' },
  smallCell: { vi: '* dưới cỡ mẫu tối thiểu {n}: đọc thận trọng', en: '* below the minimum sample of {n}: read with care' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  none: { vi: 'Chưa có bản công bố nào.', en: 'No release has been published yet.' },
  notFound: { vi: 'Không tìm thấy trang này.', en: 'This page does not exist.' },
  back: { vi: '← Bảng xếp hạng', en: '← Ranking' },
  rankOf: { vi: 'Hạng {rank}/{of}', en: 'Rank {rank} of {of}' },
  partsTitle: { vi: 'Các thành phần so với toàn quốc', en: 'Components against the national figure' },
  part: { vi: 'Nội dung', en: 'Item' },
  provinceValue: { vi: 'Tỉnh (%)', en: 'Province (%)' },
  nationalValue: { vi: 'Toàn quốc (%)', en: 'National (%)' },
  difference: { vi: 'Chênh lệch', en: 'Difference' },
  trend: { vi: 'Qua các bản công bố', en: 'Across releases' },
  year: { vi: 'Năm', en: 'Year' },
  reportCard: { vi: 'Phiếu kết quả (PDF, A4)', en: 'Report card (PDF, A4)' },
  allCards: { vi: 'Phiếu kết quả của mọi tỉnh (ZIP)', en: 'Every province\'s report card (ZIP)' },
  provinceMark: { vi: 'Tỉnh', en: 'Province' },
  nationalMark: { vi: 'Toàn quốc', en: 'National' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  bytes: { vi: '{kb} KB', en: '{kb} KB' },
  changeLog: { vi: 'Nhật ký thay đổi', en: 'Change log' },
  changeLogLead: { vi: 'Bản {id} đính chính bản {of}. Lý do: {reason}', en: 'Release {id} corrects release {of}. Reason: {reason}' },
  changeCaption: { vi: 'Mọi số liệu thay đổi so với bản được đính chính: cũ → mới, và vì sao', en: 'Every figure that moved against the corrected release: old → new, and why' },
  versions: { vi: 'Các bản công bố (→ bản đính chính)', en: 'Releases (→ its correction)' },
} as const;

export type MessageKey = keyof typeof MESSAGES;
export const translate = translator(MESSAGES);

/** Two decimals with the decimal comma in Vietnamese. */
export function formatFigure(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '–';
  const text = value.toFixed(2);
  return lang === 'vi' ? text.replace('.', ',') : text;
}

export function signedFigure(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '–';
  return `${value > 0 ? '+' : ''}${formatFigure(value, lang)}`;
}

/** "▲ tăng 3 bậc" as reports word it (English: "up 3 places"). */
export function placesText(changePlaces: number | null | undefined, lang: Lang): string {
  if (changePlaces === null || changePlaces === undefined) return '–';
  if (changePlaces === 0) return lang === 'vi' ? '= giữ nguyên' : '= unchanged';
  const n = Math.abs(changePlaces);
  if (changePlaces > 0) return lang === 'vi' ? `▲ tăng ${n} bậc` : `▲ up ${n}`;
  return lang === 'vi' ? `▼ giảm ${n} bậc` : `▼ down ${n}`;
}
