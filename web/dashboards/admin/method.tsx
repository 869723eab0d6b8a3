import { useEffect, useMemo, useState } from 'preact/hooks';
import validators from 'sipas:form-validators';
import { compileForm } from '../../../survey-forms/form';
import type { Indicator } from '../../../survey-forms/index-definition.schema';
import { api, orThrow, type FormDefinition, type FormList, type IndexDefinition, type IndexDefinitionList } from '../../shared/api-client';
import type { Answers } from '../../src/form-model';
import { FormRunner } from '../../src/form-runner';
import type { PageProps } from './page-props';
import { translate } from './i18n';

/** Any questionnaire version walked exactly as the enumerator app walks it: answers stay in the page, nothing is sent. */
function QuestionnairePreview(props: PageProps & { definition: FormDefinition }) {
  const t = translate(props.lang);
  const form = useMemo(() => compileForm(props.definition, `${props.definition.formId}@${props.definition.version}`, validators), [props.definition]);
  const [answers, setAnswers] = useState<Answers>({});
  const [section, setSection] = useState(0);
  const [complete, setComplete] = useState(false);
  return (
    <div class="form-preview">
      <p class="note">{t('previewNote')}</p>
      {complete && <p role="status">{t('previewComplete')}</p>}
      <FormRunner form={form} lang={props.lang} answers={answers} sectionIndex={section} onAnswers={(a) => { setAnswers(a); setComplete(false); }} onSection={setSection} onComplete={() => setComplete(true)} />
    </div>
  );
}

/** An index definition as a tree: overall → components → elements → criteria → items, with how each level combines. */
function IndexTree(props: PageProps & { definition: IndexDefinition }) {
  const t = translate(props.lang);
  const byId = new Map(props.definition.indicators.map((i) => [i.id, i]));
  const node = (indicator: Indicator, weight?: number) => (
    <li key={indicator.id} data-indicator={indicator.id}>
      <span class={`level ${indicator.level}`}>{indicator.level}</span> <strong>{indicator.id}</strong> {indicator.label[props.lang]}
      {weight !== undefined && <span class="weight"> — {t('weight', { weight })}</span>}
      {'items' in indicator ? (
        <span class="items"> — {t('items', { items: indicator.items.join(', ') })}</span>
      ) : (
        <>
          {indicator.combine.method === 'mean' && <span class="weight"> — {t('mean')}</span>}
          <ul>
            {indicator.children.map((id) => {
              const child = byId.get(id);
              return child ? node(child, indicator.combine.method === 'weighted' ? indicator.combine.weights[id] : undefined) : null;
            })}
          </ul>
        </>
      )}
    </li>
  );
  const overall = props.definition.indicators.find((i) => i.level === 'overall');
  return <ul class="tree">{overall && node(overall)}</ul>;
}

/** The method as data: any questionnaire version previewed, any index definition as a tree. */
export function MethodPage(props: PageProps) {
  const t = translate(props.lang);
  const [forms, setForms] = useState<FormList['forms']>([]);
  const [definitions, setDefinitions] = useState<IndexDefinitionList['indexDefinitions']>([]);
  const [formKey, setFormKey] = useState('');
  const [definitionKey, setDefinitionKey] = useState('');
  const [form, setForm] = useState<FormDefinition | null>(null);
  const [definition, setDefinition] = useState<IndexDefinition | null>(null);
  useEffect(() => {
    void (async () => {
      const [f, d] = await Promise.all([props.guard(orThrow(api.forms(props.token))), props.guard(orThrow(api.indexDefinitions(props.token)))]);
      setForms(f.forms);
      setDefinitions(d.indexDefinitions);
      if (f.forms[0]) setFormKey(`${f.forms[0].formId}@${f.forms[0].version}`);
      if (d.indexDefinitions[0]) setDefinitionKey(`${d.indexDefinitions[0].definitionId}@${d.indexDefinitions[0].version}`);
    })().catch(() => undefined);
  }, []);
  useEffect(() => {
    const [id, version] = formKey.split('@');
    if (id && version) void props.guard(orThrow(api.form(props.token, id, version))).then(setForm, () => undefined);
  }, [formKey]);
  useEffect(() => {
    const [id, version] = definitionKey.split('@');
    if (id && version) void props.guard(orThrow(api.indexDefinition(props.token, id, version))).then(setDefinition, () => undefined);
  }, [definitionKey]);
  return (
    <>
      <section>
        <h2>{t('questionnaire')}</h2>
        <label>{t('formVersion')}
          <select name="preview-form" value={formKey} onChange={(e) => setFormKey(e.currentTarget.value)}>
            {forms.map((f) => <option key={`${f.formId}@${f.version}`} value={`${f.formId}@${f.version}`}>{f.formId} v{f.version} ({f.status})</option>)}
          </select>
        </label>
        {form && <QuestionnairePreview key={formKey} {...props} definition={form} />}
      </section>
      <section>
        <h2>{t('indexTree')}</h2>
        <label>{t('definition')}
          <select name="preview-definition" value={definitionKey} onChange={(e) => setDefinitionKey(e.currentTarget.value)}>
            {definitions.map((d) => <option key={`${d.definitionId}@${d.version}`} value={`${d.definitionId}@${d.version}`}>{d.definitionId} v{d.version} ({d.status})</option>)}
          </select>
        </label>
        {definition && <IndexTree {...props} definition={definition} />}
      </section>
    </>
  );
}
