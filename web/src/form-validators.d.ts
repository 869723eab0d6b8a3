/** The questionnaires' validators, generated as ajv standalone code when the app is built (`scripts/form-validators.ts`). */
declare module 'sipas:form-validators' {
  import type { ValidateFunction } from 'ajv';

  const validators: Readonly<Record<string, ValidateFunction | undefined>>;
  export default validators;
}
