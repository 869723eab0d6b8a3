import { useEffect, useMemo, useState } from 'preact/hooks';
import validators from 'sipas:form-validators';
import { compileForm } from '../../../survey-forms/form';
import type { Option } from '../../../survey-forms/form-definition.schema';
import { api, orThrow, type FormDefinition, type RoundView } from '../../shared/api-client';
import type { Lang } from '../../shared/i18n';
import type { PageProps } from './page-props';

/** The serving levels and service fields of a round: the options of its questionnaire's dimension items, as the sample list checks them. */
export interface Dimensions {
  servingLevel: ReadonlyArray<Option>;
  serviceField: ReadonlyArray<Option>;
}

/** Reads the round's questionnaire once per round and gives its dimensions' options (empty until it has come). */
export function useDimensions(props: PageProps & { round: RoundView }): Dimensions {
  const [definition, setDefinition] = useState<FormDefinition | null>(null);
  useEffect(() => {
    setDefinition(null);
    void props.guard(orThrow(api.form(props.token, props.round.formId, props.round.formVersion))).then(setDefinition, () => undefined);
  }, [props.round.formId, props.round.formVersion]);
  return useMemo(() => {
    if (!definition) return { servingLevel: [], serviceField: [] };
    const form = compileForm(definition, `${definition.formId}@${definition.version}`, validators);
    const options = (dimension: keyof Dimensions) => form.itemById.get(form.definition.dimensions[dimension])?.options ?? [];
    return { servingLevel: options('servingLevel'), serviceField: options('serviceField') };
  }, [definition]);
}

/**
 * A select list of a dimension's codes, each shown as "code — label"; `empty` names the choice of none
 * (a filter's "any"), omitted where a code is required. The value is the code as text.
 */
export function CodePicker(props: { lang: Lang; name: string; options: ReadonlyArray<Option>; value: string; empty?: string; required?: boolean; onChange: (value: string) => void }) {
  return (
    <select name={props.name} value={props.value} required={props.required} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {(props.empty !== undefined || props.value === '') && <option value="">{props.empty ?? '—'}</option>}
      {props.options.map((o) => (
        <option key={String(o.code)} value={String(o.code)}>
          {String(o.code)} — {o.label[props.lang]}
        </option>
      ))}
    </select>
  );
}
