import { stringify } from 'csv-stringify/sync';
import type { IssuedLink } from './respondent-link.service';

/**
 * What the respondent reads before the questionnaire. Short on purpose: who asks, why, that it is
 * voluntary and confidential, how long it takes.
 */
export const RESPONDENT_CONSENT = {
  vi:
    'Bộ Nội vụ mời Ông/Bà cho biết mức độ hài lòng với sự phục vụ của cơ quan hành chính nhà nước (SIPAS). ' +
    'Việc trả lời là tự nguyện, mất khoảng 10–15 phút. Câu trả lời chỉ dùng để tính chỉ số, được giữ bí mật và không gắn với tên của Ông/Bà. ' +
    'Câu trả lời được lưu tạm trên máy này cho đến khi Ông/Bà gửi phiếu.',
  en:
    'The Ministry of Home Affairs asks how satisfied you are with the services of public administration (SIPAS). ' +
    'Answering is voluntary and takes about 10–15 minutes. Your answers are used only to compute the index, kept confidential and never linked to your name. ' +
    'Your answers are kept on this device until you send them.',
} as const;

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

export function presentLink(link: IssuedLink) {
  return {
    unitId: link.unitId,
    provinceCode: link.provinceCode,
    postOffice: link.postOffice,
    assignedTo: link.assignedTo,
    path: link.path,
    state: link.state,
    status: link.status,
    generation: link.generation,
    issuedAt: link.issuedAt.toISOString(),
    openedAt: iso(link.openedAt),
    draftSavedAt: iso(link.draftSavedAt),
    usedAt: iso(link.usedAt),
    withdrawnAt: iso(link.withdrawnAt),
  };
}

/** The list as CSV (UTF-8; the reply adds the byte-order mark Excel needs). */
export function presentLinksCsv(reply: { roundId: string; expiresAt: string; links: ReadonlyArray<ReturnType<typeof presentLink>> }): string {
  return stringify([
    ['round_id', 'unit_id', 'province_code', 'path', 'state', 'used_at', 'expires_at', 'status', 'post_office', 'assigned_to', 'opened_at', 'draft_saved_at', 'withdrawn_at'],
    ...reply.links.map((l) => [
      reply.roundId,
      l.unitId,
      l.provinceCode,
      l.path,
      l.state,
      l.usedAt ?? '',
      reply.expiresAt,
      l.status,
      l.postOffice ?? '',
      l.assignedTo ?? '',
      l.openedAt ?? '',
      l.draftSavedAt ?? '',
      l.withdrawnAt ?? '',
    ]),
  ]);
}
