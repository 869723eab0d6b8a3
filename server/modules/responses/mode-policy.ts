/**
 * Whether a submitted item's mode and serial fit its round: pure, so the submission service only asks.
 *
 * - The mode (absent: capi) must be one the round allows (`mode_not_allowed`).
 * - A keyed paper form (papi) names the serial printed on it (`required`).
 * - A serial must have the right check digits (`wrong_check_digit`) and name the item's own round and
 *   sample unit (`wrong_serial`), so a form keyed under the wrong household is refused, not stored.
 */
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import { modeOf, type ResponseMode } from '../../../survey-forms/modes';
import { parseSerial } from '../../../survey-forms/serial';

export function modeProblems(
  round: { id: string; modes: ReadonlyArray<ResponseMode> },
  item: { mode?: ResponseMode | undefined; serial?: string | undefined; sampleUnitId?: string | undefined },
): CataloguedProblem[] {
  const problems: CataloguedProblem[] = [];
  const mode = modeOf(item);
  if (!round.modes.includes(mode)) {
    problems.push({ path: '/mode', code: 'mode_not_allowed', message: `round ${round.id} takes responses in ${round.modes.join(', ')}, not ${mode}` });
  }
  if (item.serial === undefined) {
    if (mode === 'papi') problems.push({ path: '/serial', code: 'required', message: 'a keyed paper form names the serial printed on it' });
    return problems;
  }
  const reading = parseSerial(item.serial);
  if (!reading.ok) {
    problems.push({ path: '/serial', code: reading.code, message: reading.code === 'wrong_check_digit' ? `${item.serial} has wrong check digits` : `${item.serial} is not a serial` });
  } else if (reading.roundId !== round.id || reading.unitId !== item.sampleUnitId) {
    problems.push({
      path: '/serial',
      code: 'wrong_serial',
      message: `${item.serial} is the serial of unit ${reading.unitId} in round ${reading.roundId}, not of unit ${item.sampleUnitId ?? '(none)'} in round ${round.id}`,
    });
  }
  return problems;
}
