import { translator, type Lang } from '../../shared/i18n';
import { SHARED_WORDS } from '../../shared/words';

export type { Lang };

/** The analyst dashboard's words. */
const MESSAGES = {
  ...SHARED_WORDS,
  title: { vi: 'SIPAS – Phân tích chỉ số', en: 'SIPAS – Index analysis' },
  notAnalyst: { vi: 'Trang này dành cho chuyên viên phân tích và quản trị viên.', en: 'This dashboard is for analysts and administrators.' },
  round: { vi: 'Đợt khảo sát', en: 'Round' },
  noRound: { vi: 'Chưa có đợt khảo sát nào.', en: 'No survey round yet.' },
  edition: { vi: 'Danh mục đơn vị', en: 'Boundary edition' },
  editionUnits: { vi: '{n} tỉnh, thành phố', en: '{n} provinces' },
  indicator: { vi: 'Chỉ số', en: 'Indicator' },
  estimate: { vi: 'Ước lượng', en: 'Estimate' },
  estimate_index: { vi: 'Chỉ số theo phương pháp', en: 'Method index' },
  estimate_pooled: { vi: 'Gộp theo người trả lời', en: 'Pooled' },
  estimate_weighted: { vi: 'Gộp có trọng số', en: 'Weighted' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  computedAt: { vi: 'Tính lúc {time} từ {n} phiếu', en: 'Computed at {time} from {n} responses' },
  notComputed: { vi: 'Chưa có số liệu tính toán cho đợt này.', en: 'No figures computed for this round yet.' },
  ranking: { vi: 'Xếp hạng các tỉnh, thành phố', en: 'Province ranking' },
  nationalMean: { vi: 'Trung bình toàn quốc: {value}', en: 'National mean: {value}' },
  showTable: { vi: 'Xem dạng bảng', en: 'Show as table' },
  showChart: { vi: 'Xem dạng biểu đồ', en: 'Show as chart' },
  provinceTable: { vi: 'Bảng chỉ số theo tỉnh', en: 'Table by province' },
  code: { vi: 'Mã', en: 'Code' },
  name: { vi: 'Tên', en: 'Name' },
  n: { vi: 'Số phiếu', en: 'n' },
  value: { vi: 'Giá trị (%)', en: 'Value (%)' },
  interval: { vi: 'KTC 95%', en: '95% CI' },
  rank: { vi: 'Hạng', en: 'Rank' },
  changePoints: { vi: 'Thay đổi (điểm)', en: 'Change (points)' },
  changePlaces: { vi: 'Thay đổi (bậc)', en: 'Change (places)' },
  unreliable: { vi: 'dưới cỡ mẫu tối thiểu ({n})', en: 'below the minimum n ({n})' },
  suppressed: { vi: 'ẩn', en: 'suppressed' },
  groups: { vi: 'Theo loại đơn vị hành chính và vùng', en: 'By unit type and region' },
  byUnitType: { vi: 'Loại đơn vị hành chính', en: 'Administrative-unit type' },
  byRegion: { vi: 'Vùng kinh tế – xã hội', en: 'Socio-economic region' },
  elements: { vi: 'Năm yếu tố: tỉnh so với toàn quốc', en: 'Five elements: province against national' },
  province: { vi: 'Tỉnh, thành phố', en: 'Province' },
  national: { vi: 'Toàn quốc', en: 'National' },
  element: { vi: 'Yếu tố', en: 'Element' },
  distribution: { vi: 'Phân bố giá trị các tỉnh', en: 'Distribution of provincial values' },
  min: { vi: 'Thấp nhất', en: 'Minimum' },
  q1: { vi: 'Tứ phân vị thứ nhất', en: 'First quartile' },
  median: { vi: 'Trung vị', en: 'Median' },
  q3: { vi: 'Tứ phân vị thứ ba', en: 'Third quartile' },
  max: { vi: 'Cao nhất', en: 'Maximum' },
  downloads: { vi: 'Tải xuống', en: 'Downloads' },
  downloadTable: { vi: 'Bảng đang xem ({format})', en: 'This table ({format})' },
  suppress: { vi: 'Ẩn ô dưới cỡ mẫu tối thiểu (bản công bố)', en: 'Suppress cells below the minimum n (for publication)' },
  microdata: { vi: 'Dữ liệu vi mô ẩn danh ({format})', en: 'Anonymised microdata ({format})' },
  exportState: { vi: 'Xuất dữ liệu: {state}, {percent}% ({rows}/{total} dòng)', en: 'Export: {state}, {percent}% ({rows}/{total} rows)' },
  exportReady: { vi: 'Tệp {name} đã sẵn sàng (đến {time})', en: 'File {name} is ready (until {time})' },
  exportFailed: { vi: 'Xuất dữ liệu thất bại: {message}', en: 'The export failed: {message}' },
  downloadFile: { vi: 'Tải tệp', en: 'Download file' },
  up: { vi: 'tăng {n} bậc', en: 'up {n} places' },
  down: { vi: 'giảm {n} bậc', en: 'down {n} places' },
  same: { vi: 'giữ nguyên', en: 'unchanged' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** The dashboard's messages in a language: `const t = translate(lang)`, then `t(key, vars)`. */
export const translate = translator(MESSAGES);

/** A figure as the page shows it: two decimals, the Vietnamese decimal comma in Vietnamese. */
export function formatFigure(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '–';
  const text = value.toFixed(2);
  return lang === 'vi' ? text.replace('.', ',') : text;
}

/** A change of places with its arrow: ▲ up, ▼ down. */
export function formatPlaces(places: number | null | undefined, lang: Lang): { arrow: string; text: string; direction: 'up' | 'down' | 'same' | 'none' } {
  if (places === null || places === undefined) return { arrow: '', text: '–', direction: 'none' };
  const t = translate(lang);
  if (places > 0) return { arrow: '▲', text: t('up', { n: places }), direction: 'up' };
  if (places < 0) return { arrow: '▼', text: t('down', { n: -places }), direction: 'down' };
  return { arrow: '=', text: t('same'), direction: 'same' };
}
