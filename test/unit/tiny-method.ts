import { compileForm, type CompiledForm } from '../../survey-forms/form';
import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import { compileIndexDefinition, type CompiledIndexDefinition } from '../../survey-forms/index-definition';
import type { IndexDefinition } from '../../survey-forms/index-definition.schema';

const label = (vi: string) => ({ vi, en: vi });

/**
 * A questionnaire small enough to compute its figures by hand: dimensions kind/level/field; q1–q4 on a
 * satisfaction scale with "not applicable" (9); q4 only for those who gave feedback; p1 a perception
 * item that the index does not score.
 */
export function tinyFormDefinition(): FormDefinition {
  return {
    formId: 'tiny',
    version: '1',
    status: 'draft',
    title: label('Phiếu nhỏ'),
    method: { decision: 'test', description: label('test') },
    scales: {
      sat: {
        kind: 'satisfaction',
        positiveCodes: [4, 5],
        options: [1, 2, 3, 4, 5].map((code) => ({ code, label: label(String(code)) })),
        notApplicable: { code: 9, label: label('Không áp dụng') },
      },
      agree: { kind: 'agreement', positiveCodes: [4, 5], options: [1, 2, 3, 4, 5].map((code) => ({ code, label: label(String(code)) })) },
    },
    codeLists: {
      kind: [1, 2].map((code) => ({ code, label: label(`kind ${code}`) })),
      level: [1, 2, 3].map((code) => ({ code, label: label(`level ${code}`) })),
      field: [1, 2].map((code) => ({ code, label: label(`field ${code}`) })),
      yesNo: [1, 2].map((code) => ({ code, label: label(code === 1 ? 'Có' : 'Không') })),
    },
    dimensions: { respondentType: 'kind', servingLevel: 'level', serviceField: 'field' },
    quality: { minDurationSeconds: 60 },
    sections: [
      {
        id: 'A',
        title: label('A'),
        items: [
          { id: 'kind', type: 'single', codeList: 'kind', label: label('kind') },
          { id: 'level', type: 'single', codeList: 'level', label: label('level') },
          { id: 'field', type: 'single', codeList: 'field', label: label('field') },
          { id: 'p1', type: 'scale', scale: 'agree', label: label('p1'), required: false },
          { id: 'q1', type: 'scale', scale: 'sat', label: label('q1') },
          { id: 'q2', type: 'scale', scale: 'sat', label: label('q2') },
          { id: 'q3', type: 'scale', scale: 'sat', label: label('q3') },
          { id: 'gave', type: 'single', codeList: 'yesNo', label: label('gave') },
          { id: 'q4', type: 'scale', scale: 'sat', label: label('q4'), relevant: { item: 'gave', equals: 1 } },
        ],
      },
    ],
  };
}

/** c1 = q1; c2 = q2 and q3 pooled; c3 = q4. e1 = mean(c1, c2); e2 = c3; overall = mean(e1, e2) unless weights are given. */
export function tinyIndexDefinition(overallWeights?: { e1: number; e2: number }, minimumN = 2): IndexDefinition {
  return {
    definitionId: 'tiny',
    version: '1',
    status: 'draft',
    title: label('Chỉ số nhỏ'),
    method: { decision: 'test', description: label('test') },
    appliesTo: [{ formId: 'tiny', versions: ['1'] }],
    scoring: { validCodes: [1, 2, 3, 4, 5], satisfiedCodes: [4, 5] },
    reliability: { minimumN },
    indicators: [
      { id: 'c1', level: 'criterion', label: label('c1'), items: ['q1'] },
      { id: 'c2', level: 'criterion', label: label('c2'), items: ['q2', 'q3'] },
      { id: 'c3', level: 'criterion', label: label('c3'), items: ['q4'] },
      { id: 'e1', level: 'element', label: label('e1'), children: ['c1', 'c2'], combine: { method: 'mean' } },
      { id: 'e2', level: 'element', label: label('e2'), children: ['c3'], combine: { method: 'mean' } },
      {
        id: 'overall',
        level: 'overall',
        label: label('overall'),
        children: ['e1', 'e2'],
        combine: overallWeights ? { method: 'weighted', weights: overallWeights } : { method: 'mean' },
      },
    ],
  };
}

export interface TinyMethod {
  form: CompiledForm;
  definition: CompiledIndexDefinition;
}

export function tinyMethod(overallWeights?: { e1: number; e2: number }, minimumN = 2): TinyMethod {
  const form = compileForm(tinyFormDefinition(), 'tiny.json');
  const definition = compileIndexDefinition(tinyIndexDefinition(overallWeights, minimumN), () => form, 'tiny-index.json');
  return { form, definition };
}

/** Answers with the dimensions filled (kind 1, level 1, field 1 unless overridden). */
export function tinyAnswers(answers: Record<string, unknown>): Record<string, unknown> {
  return { kind: 1, level: 1, field: 1, ...answers };
}
