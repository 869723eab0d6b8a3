import type { Lang } from '../../shared/i18n';

export type { Lang };

/** The keyed-entry screen's words, Vietnamese first. */
export function keyingWords(lang: Lang) {
  const vi = lang === 'vi';
  return {
    title: vi ? 'Nhập phiếu giấy' : 'Key a paper form',
    serialLabel: vi ? 'Số phiếu (gõ hoặc quét mã QR), rồi nhấn Enter' : 'Serial (type it or scan the QR code), then press Enter',
    notASerial: vi ? 'Đây không phải số phiếu: dạng đúng là đợt/đơn vị/2 chữ số kiểm tra.' : 'This is not a serial: it reads round/unit/two check digits.',
    offlineSecond: vi ? 'Cần có mạng để mở phiếu không thuộc danh sách của bạn (lần nhập thứ hai).' : 'Opening a form outside your list (a second keying) needs the network.',
    loginAgain: vi ? 'Hãy đăng nhập lại.' : 'Log in again.',
    alreadyKeyed: vi ? 'Phiếu này đã được nhập đủ.' : 'This form has been keyed as often as needed.',
    scan: vi ? 'Quét mã QR' : 'Scan the QR code',
    stopScan: vi ? 'Dừng quét' : 'Stop scanning',
    camera: vi ? 'Hình ảnh từ máy ảnh' : 'Camera picture',
    keyingOf: (serial: string, keying: 'first' | 'second') => (vi ? `Phiếu ${serial} – lần nhập ${keying === 'first' ? 'thứ nhất' : 'thứ hai'}` : `Form ${serial} – ${keying} keying`),
    question: (n: number) => (vi ? `Câu ${n}:` : `Question ${n}:`),
    allKeyed: vi ? 'Đã nhập hết. Nhấn Enter để lưu phiếu.' : 'All keyed. Press Enter to save the form.',
    keysHint: vi
      ? 'Gõ mã 1–5, hoặc 9 = không áp dụng; con trỏ tự chuyển câu. Câu cần gõ chữ hoặc nhiều mã: gõ rồi nhấn Enter. Xoá lùi (Backspace) để quay lại câu trước.'
      : 'Type 1–5, or 9 = not applicable; the cursor moves on. Items with text or several codes: type, then Enter. Backspace goes back one item.',
    save: vi ? 'Lưu phiếu' : 'Save the form',
    draftSaved: (time: string) => (vi ? `Đã lưu bản nháp trên máy lúc ${time}` : `Draft saved on this device at ${time}`),
    cancel: vi ? 'Huỷ' : 'Cancel',
    queued: (serial: string, keying: 'first' | 'second') =>
      vi ? `Đã lưu phiếu ${serial} (lần nhập ${keying === 'first' ? 'thứ nhất' : 'thứ hai'}); phiếu sẽ được gửi khi có mạng.` : `Form ${serial} saved (${keying} keying); it is sent when the network allows.`,
  };
}
