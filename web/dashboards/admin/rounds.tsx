import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type FormList, type IndexDefinitionList, type RoundOverview, type RoundView } from '../../shared/api-client';
import type { PageProps } from './page-props';
import { translate, type MessageKey } from './i18n';

const iso = (d: Date) => d.toISOString().slice(0, 10);

function CreateRound(props: PageProps & { rounds: RoundView[]; onCreated: (id: string) => void }) {
  const t = translate(props.lang);
  const [forms, setForms] = useState<FormList['forms']>([]);
  const [definitions, setDefinitions] = useState<IndexDefinitionList['indexDefinitions']>([]);
  const today = new Date();
  const [form, setForm] = useState({
    id: '',
    year: String(today.getUTCFullYear()),
    form: '',
    definition: '',
    edition: '34',
    fieldworkStart: iso(today),
    fieldworkEnd: iso(new Date(today.getTime() + 90 * 86_400_000)),
    previous: '',
  });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const [f, d] = await Promise.all([props.guard(orThrow(api.forms(props.token))), props.guard(orThrow(api.indexDefinitions(props.token)))]);
      const published = f.forms.filter((x) => x.status === 'published');
      setForms(published);
      setDefinitions(d.indexDefinitions.filter((x) => x.status === 'published'));
      const last = published[published.length - 1];
      if (last) setForm((current) => ({ ...current, form: `${last.formId}@${last.version}` }));
    })().catch(() => undefined);
  }, []);
  const set = (field: keyof typeof form) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const [formId, formVersion] = form.form.split('@');
  const fitting = definitions.filter((d) => d.appliesTo.some((a) => a.formId === formId && a.versions.includes(formVersion ?? '')));
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const [definitionId, definitionVersion] = form.definition.split('@');
    try {
      const round = await props.guard(
        orThrow(
          api.createRound(props.token, {
            id: form.id,
            year: Number(form.year),
            formId: formId ?? '',
            formVersion: formVersion ?? '',
            boundaryEdition: form.edition === '63' ? 63 : 34,
            fieldworkStart: form.fieldworkStart,
            fieldworkEnd: form.fieldworkEnd,
            status: 'open',
            ...(definitionId && definitionVersion ? { indexDefinitionId: definitionId, indexDefinitionVersion: definitionVersion } : {}),
            ...(form.previous ? { previousRoundId: form.previous } : {}),
          }),
        ),
      );
      props.onCreated(round.id);
    } catch (err) {
      setError(t('error', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <form class="grid-form" onSubmit={(e) => void submit(e)} aria-label={t('createRound')}>
      <label>{t('roundId')}<input name="round-id" value={form.id} onInput={set('id')} required placeholder="sipas-2025" /></label>
      <label>{t('year')}<input name="round-year" type="number" value={form.year} onInput={set('year')} required /></label>
      <label>{t('formVersion')}
        <select name="round-form" value={form.form} onChange={set('form')}>
          {forms.map((f) => <option key={`${f.formId}@${f.version}`} value={`${f.formId}@${f.version}`}>{f.formId} v{f.version} — {f.title[props.lang]}</option>)}
        </select>
      </label>
      <label>{t('definition')}
        <select name="round-definition" value={form.definition} onChange={set('definition')}>
          <option value="">{t('defaultDefinition')}</option>
          {fitting.map((d) => <option key={`${d.definitionId}@${d.version}`} value={`${d.definitionId}@${d.version}`}>{d.definitionId} v{d.version}</option>)}
        </select>
      </label>
      <label>{t('edition')}
        <select name="round-edition" value={form.edition} onChange={set('edition')}>
          <option value="34">{t('edition34')}</option>
          <option value="63">{t('edition63')}</option>
        </select>
      </label>
      <label>{t('fieldworkStart')}<input name="round-start" type="date" value={form.fieldworkStart} onInput={set('fieldworkStart')} required /></label>
      <label>{t('fieldworkEnd')}<input name="round-end" type="date" value={form.fieldworkEnd} onInput={set('fieldworkEnd')} required /></label>
      <label>{t('previousRound')}
        <select name="round-previous" value={form.previous} onChange={set('previous')}>
          <option value="">{t('none')}</option>
          {props.rounds.map((r) => <option key={r.id} value={r.id}>{r.id}</option>)}
        </select>
      </label>
      <button type="submit" class="primary">{t('create')}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

function Counts(props: { lang: PageProps['lang']; title: string; counts: Record<string, number>; prefix: 'status' | 'review'; total: number }) {
  const t = translate(props.lang);
  return (
    <div class="counts">
      <h3>{props.title}: {props.total}</h3>
      <dl>
        {Object.entries(props.counts).map(([key, n]) => (
          <div key={key} data-count={key}>
            <dt>{t(`${props.prefix}.${key}` as MessageKey)}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Rounds: the list, a new one, opening and closing, and a round's page with its counts. */
export function RoundsPage(props: PageProps & { rounds: RoundView[]; roundId: string; onRound: (id: string) => void; reload: (select?: string) => Promise<void> }) {
  const t = translate(props.lang);
  const [overview, setOverview] = useState<RoundOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const round = props.rounds.find((r) => r.id === props.roundId);
  const load = async () => {
    if (!props.roundId) return setOverview(null);
    setOverview(await props.guard(orThrow(api.roundOverview(props.token, props.roundId))));
  };
  useEffect(() => void load().catch(() => undefined), [props.roundId, round?.status]);
  const toggle = async (r: RoundView) => {
    setError(null);
    try {
      await props.guard(orThrow(api.updateRound(props.token, r.id, { status: r.status === 'open' ? 'closed' : 'open' })));
      await props.reload(r.id);
    } catch (err) {
      setError(t('error', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <>
      <section>
        <h2>{t('rounds')}</h2>
        {error && <p class="error" role="alert">{error}</p>}
        <table>
          <thead>
            <tr><th>{t('roundId')}</th><th>{t('formVersion')}</th><th>{t('definition')}</th><th>{t('edition')}</th><th>{t('fieldworkStart')}</th><th>{t('fieldworkEnd')}</th><th>{t('previousRound')}</th><th>{t('status')}</th><th><span class="visually-hidden">{t('sections')}</span></th></tr>
          </thead>
          <tbody>
            {props.rounds.map((r) => (
              <tr key={r.id} class={`round${r.id === props.roundId ? ' chosen' : ''}`} data-round={r.id}>
                <td><button type="button" class="link" onClick={() => props.onRound(r.id)}>{r.id}</button></td>
                <td>{r.formId} v{r.formVersion}</td>
                <td>{r.indexDefinitionId} v{r.indexDefinitionVersion}</td>
                <td>{r.boundaryEdition}</td>
                <td>{r.fieldworkStart}</td>
                <td>{r.fieldworkEnd}</td>
                <td>{r.previousRoundId ?? '—'}</td>
                <td>{t(r.status)}</td>
                <td><button type="button" onClick={() => void toggle(r)}>{r.status === 'open' ? t('closeRound') : t('openRound')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {overview && (
        <section class="round-page">
          <h2>{t('roundPage', { id: overview.round.id })}</h2>
          <p>{overview.figuresComputedAt ? t('figuresAt', { time: new Date(overview.figuresComputedAt).toLocaleString(props.lang === 'vi' ? 'vi-VN' : 'en-GB') }) : t('noFigures')}</p>
          <div class="count-row">
            <Counts lang={props.lang} title={t('units')} counts={overview.units.byStatus} prefix="status" total={overview.units.total} />
            <div class="counts">
              <h3>{t('assignments')}</h3>
              <dl>
                <div data-count="assigned"><dt>{t('assigned')}</dt><dd>{overview.units.assigned}</dd></div>
                <div data-count="unassigned"><dt>{t('unassigned')}</dt><dd>{overview.units.unassigned}</dd></div>
              </dl>
            </div>
            <Counts lang={props.lang} title={t('responses')} counts={overview.responses.byReviewStatus} prefix="review" total={overview.responses.total} />
          </div>
        </section>
      )}
      <section>
        <h2>{t('createRound')}</h2>
        <CreateRound {...props} onCreated={(id) => void props.reload(id)} />
      </section>
    </>
  );
}
