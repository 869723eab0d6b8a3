import { Type } from '@sinclair/typebox';
import { FORM_ID_PATTERN, FORM_VERSION_PATTERN, LocalizedText } from '../../../survey-forms/form-definition.schema';
import { IndexDefinition } from '../../../survey-forms/index-definition.schema';

export const IndexDefinitionParams = Type.Object(
  { definitionId: Type.String({ pattern: FORM_ID_PATTERN }), version: Type.String({ pattern: FORM_VERSION_PATTERN }) },
  { additionalProperties: false },
);

export const IndexDefinitionSummary = Type.Object({
  definitionId: Type.String(),
  version: Type.String(),
  status: Type.String(),
  title: LocalizedText,
  decision: Type.String({ description: 'The decision that defines the method.' }),
  appliesTo: Type.Array(Type.Object({ formId: Type.String(), versions: Type.Array(Type.String()) }), {
    description: 'The questionnaire versions it scores.',
  }),
  indicators: Type.Integer({ description: 'Number of indicators (criteria, elements, components and the overall index).' }),
  minimumN: Type.Integer({ description: 'Figures on fewer (effective) respondents are marked unreliable.' }),
});

export const IndexDefinitionList = Type.Object({ indexDefinitions: Type.Array(IndexDefinitionSummary) });
export { IndexDefinition };
