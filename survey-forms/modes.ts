import type { FormDefinition } from './form-definition.schema';

/**
 * How a response was collected: `capi` interviewed on the enumerator's device, `papi` a paper
 * questionnaire filled in by the household and keyed in by postal staff, `cawi` completed by the
 * respondent online from their one-time link.
 */
export const RESPONSE_MODES = ['capi', 'papi', 'cawi'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

/**
 * The too-fast threshold of a questionnaire version for one mode, in seconds; undefined when
 * responses of that mode are not judged on time (a keyed paper form, or a version that names no
 * threshold for the mode).
 */
export function minDurationSecondsFor(definition: Pick<FormDefinition, 'quality'>, mode: ResponseMode): number | undefined {
  const { quality } = definition;
  if (quality.modes) return quality.modes[mode]?.minDurationSeconds;
  return mode === 'capi' ? quality.minDurationSeconds : undefined;
}

/** What a mode is called, in the platform's two languages (microdata codebook, metadata, dashboards). */
export const MODE_LABELS: Readonly<Record<ResponseMode, { vi: string; en: string }>> = {
  capi: { vi: 'Phỏng vấn trên thiết bị (CAPI)', en: 'Interview on a device (CAPI)' },
  papi: { vi: 'Phiếu giấy được nhập liệu (PAPI)', en: 'Paper questionnaire, keyed in (PAPI)' },
  cawi: { vi: 'Tự trả lời trực tuyến (CAWI)', en: 'Self-completed online (CAWI)' },
};

/** The modes a round allows when it names none: interviews on the device, as before modes existed. */
export const DEFAULT_ROUND_MODES: ReadonlyArray<ResponseMode> = ['capi'];

/** The mode of a stored or submitted response; absent means an interview on the device. */
export function modeOf(response: { mode?: ResponseMode | null | undefined }): ResponseMode {
  return response.mode ?? 'capi';
}
