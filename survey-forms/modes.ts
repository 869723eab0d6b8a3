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
