import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type RoundView, type SampleListQuery, type SampleListReply } from '../../shared/api-client';
import type { PageProps } from './page-props';
import { CodePicker, useDimensions } from './dimensions';
import { translate, type MessageKey } from './i18n';
import { UploadPanel } from './upload';
import { Pager } from './users';

const PAGE_SIZE = 100;
const STATUSES = ['not-started', 'in-progress', 'completed', 'refused', 'not-reachable'] as const;
type Filter = Pick<SampleListQuery, 'province' | 'servingLevel' | 'serviceField' | 'status' | 'assignedTo' | 'unassigned'>;

const code = (text: string): number | string | undefined => (text === '' ? undefined : /^\d+$/.test(text) ? Number(text) : text);
const names = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).filter(Boolean))];

/**
 * The sample list of a round: upload with a preview of every row problem, the units with filters
 * and paging (one page at a time: a national list is never loaded whole), and assignments — give
 * the selected units to an enumerator, spread the filtered units evenly over several, take back.
 */
export function SamplePage(props: PageProps & { round: RoundView }) {
  const t = translate(props.lang);
  const [filter, setFilter] = useState<Filter>({});
  const dimensions = useDimensions(props);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<SampleListReply>({ total: 0, units: [] });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [enumerators, setEnumerators] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const roundId = props.round.id;
  const load = async () => {
    setPage(await props.guard(orThrow(api.sample(props.token, roundId, { ...filter, offset, limit: PAGE_SIZE }))));
  };
  useEffect(() => {
    setSelected(new Set());
    void load().catch((e: unknown) => setError(t('error', { message: e instanceof Error ? e.message : String(e) })));
  }, [roundId, JSON.stringify(filter), offset]);
  const change = (patch: Filter) => {
    setOffset(0);
    setFilter(Object.fromEntries(Object.entries({ ...filter, ...patch }).filter(([, v]) => v !== undefined && v !== '' && v !== false)));
  };
  const act = async (call: () => Promise<string>) => {
    setError(null);
    setNote(null);
    try {
      setNote(await call());
      await load();
      setSelected(new Set());
    } catch (e) {
      setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  const give = () =>
    act(async () => {
      const [enumerator] = names(enumerators);
      const reply = await props.guard(orThrow(api.assign(props.token, roundId, { enumerator: enumerator ?? '', unitIds: [...selected] })));
      return t('moved', { count: reply.assigned });
    });
  const takeBack = () =>
    act(async () => t('moved', { count: (await props.guard(orThrow(api.assign(props.token, roundId, { enumerator: null, unitIds: [...selected] })))).assigned }));
  const spread = () =>
    act(async () => {
      const { province, servingLevel, serviceField, status, assignedTo, unassigned } = filter;
      const reply = await props.guard(
        orThrow(
          api.spread(props.token, roundId, {
            enumerators: names(enumerators),
            filter: { ...(province ? { province } : {}), ...(servingLevel !== undefined ? { servingLevel } : {}), ...(serviceField !== undefined ? { serviceField } : {}), ...(status ? { status } : {}), ...(assignedTo ? { assignedTo } : {}), ...(unassigned ? { unassigned } : {}) },
          }),
        ),
      );
      return t('spreadDone', { count: reply.assigned, shares: reply.shares.map((s) => `${s.enumerator} ${s.units}`).join(', ') });
    });
  const toggle = (unitId: string) => {
    const next = new Set(selected);
    if (next.has(unitId)) next.delete(unitId);
    else next.add(unitId);
    setSelected(next);
  };
  return (
    <>
      <section>
        <h2>{t('uploadSample')}</h2>
        <UploadPanel
          lang={props.lang}
          label={t('file')}
          name="sample-file"
          canPreview
          send={(upload, options) => props.guard(orThrow(api.importSample(props.token, roundId, upload, options)))}
          onDone={() => void load()}
        />
      </section>
      <section>
        <h2>{t('unitsList', { total: page.total })}</h2>
        <div class="filters">
          <label>{t('province')}<input name="filter-province" size={4} placeholder="01" onInput={(e) => change({ province: /^\d{2}$/.test(e.currentTarget.value) ? e.currentTarget.value : undefined })} /></label>
          <label>{t('level')}<CodePicker lang={props.lang} name="filter-level" options={dimensions.servingLevel} empty={t('anyone')} value={filter.servingLevel === undefined ? '' : String(filter.servingLevel)} onChange={(v) => change({ servingLevel: code(v) })} /></label>
          <label>{t('serviceField')}<CodePicker lang={props.lang} name="filter-field" options={dimensions.serviceField} empty={t('anyone')} value={filter.serviceField === undefined ? '' : String(filter.serviceField)} onChange={(v) => change({ serviceField: code(v) })} /></label>
          <label>{t('status')}
            <select name="filter-status" onChange={(e) => change({ status: (e.currentTarget.value || undefined) as Filter['status'] })}>
              <option value="">{t('anyone')}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>{t('assignedTo')}<input name="filter-assigned" onInput={(e) => change({ assignedTo: e.currentTarget.value || undefined })} /></label>
          <label class="check"><input type="checkbox" name="filter-unassigned" onChange={(e) => change({ unassigned: e.currentTarget.checked || undefined })} />{t('onlyUnassigned')}</label>
        </div>
        <div class="assign-bar">
          <label>{t('enumerators')}<input name="enumerators" value={enumerators} onInput={(e) => setEnumerators(e.currentTarget.value)} /></label>
          <button type="button" disabled={selected.size === 0 || names(enumerators).length !== 1} onClick={() => void give()}>{t('giveSelected')} ({selected.size})</button>
          <button type="button" class="primary" disabled={names(enumerators).length === 0 || page.total === 0} onClick={() => void spread()}>{t('spreadFilter')} ({page.total})</button>
          <button type="button" disabled={selected.size === 0} onClick={() => void takeBack()}>{t('takeBack')}</button>
        </div>
        {note && <p role="status">{note}</p>}
        {error && <p class="error" role="alert">{error}</p>}
        <table>
          <thead>
            <tr><th><span class="visually-hidden">{t('giveSelected')}</span></th><th>{t('unitId')}</th><th>{t('province')}</th><th class="num">{t('level')}</th><th class="num">{t('serviceField')}</th><th>{t('name')}</th><th>{t('assignedTo')}</th><th>{t('status')}</th></tr>
          </thead>
          <tbody>
            {page.units.map((u) => (
              <tr key={u.unitId} class="unit" data-unit={u.unitId}>
                <td><input type="checkbox" aria-label={t('select', { unit: u.unitId })} checked={selected.has(u.unitId)} disabled={u.status === 'completed'} onChange={() => toggle(u.unitId)} /></td>
                <td>{u.unitId}</td>
                <td>{u.provinceCode} {u.provinceName}</td>
                <td class="num">{String(u.servingLevel)}</td>
                <td class="num">{String(u.serviceField)}</td>
                <td>{u.contact.name}</td>
                <td class="assigned">{u.assignedTo ?? '—'}</td>
                <td class="status">{t(`status.${u.status}` as MessageKey)}{u.statusNote ? ` (${u.statusNote})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={props.lang} offset={offset} size={PAGE_SIZE} total={page.total} onOffset={setOffset} />
      </section>
    </>
  );
}
