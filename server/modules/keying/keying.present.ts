import type { CompiledForm } from '../../../survey-forms/form';
import type { SecondKeyingRecord } from './keying.repository';
import type { Static } from '@sinclair/typebox';
import type { VerificationItemView } from './keying.schema';

/** A form awaiting verification, with each differing item's question text. */
export function presentVerificationItem(record: SecondKeyingRecord, form: CompiledForm | undefined): Static<typeof VerificationItemView> {
  return {
    responseId: record.responseId,
    secondKeyingId: record.id,
    serial: record.serial,
    unitId: record.unitId,
    provinceCode: record.provinceCode,
    firstKeyer: record.firstKeyer,
    secondKeyer: record.secondKeyer,
    storedAt: record.storedAt.toISOString(),
    itemsCompared: record.itemsCompared,
    differences: record.differences.map((d) => {
      const label = form?.itemById.get(d.itemId)?.item.label ?? { vi: d.itemId, en: d.itemId };
      return { itemId: d.itemId, label: { vi: label.vi, en: label.en }, ...(d.first !== undefined ? { first: d.first } : {}), ...(d.second !== undefined ? { second: d.second } : {}) };
    }),
  };
}
