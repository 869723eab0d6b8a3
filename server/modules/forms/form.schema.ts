import { Type } from '@sinclair/typebox';
import { FORM_ID_PATTERN, FORM_VERSION_PATTERN, FormDefinition, LocalizedText } from '../../../survey-forms/form-definition.schema';

export const FormParams = Type.Object(
  { formId: Type.String({ pattern: FORM_ID_PATTERN }), version: Type.String({ pattern: FORM_VERSION_PATTERN }) },
  { additionalProperties: false },
);

export const FormSummary = Type.Object({
  formId: Type.String(),
  version: Type.String(),
  status: Type.String(),
  title: LocalizedText,
  decision: Type.String({ description: 'The decision that defines the method.' }),
  items: Type.Integer({ description: 'Number of items.' }),
});

export const FormList = Type.Object({ forms: Type.Array(FormSummary) });
export { FormDefinition };
