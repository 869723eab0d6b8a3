import type { FieldScope } from '../../survey-forms/field-scope';

/**
 * The MongoDB condition that keeps documents within a field scope. Units, responses and audit
 * entries all carry `provinceCode` and `postOffice`, so one condition serves them all.
 */
export function scopeMatch(scope: FieldScope | undefined): { provinceCode?: { $in: string[] }; postOffice?: string } {
  if (!scope) return {};
  return {
    ...(scope.provinces !== undefined ? { provinceCode: { $in: [...scope.provinces] } } : {}),
    ...(scope.postOffice !== undefined ? { postOffice: scope.postOffice } : {}),
  };
}
