import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type AreasReply, type QuotaImportReply, type QuotaTargetsReply, type RoundView } from '../../shared/api-client';
import type { Lang } from '../../shared/i18n';
import type { PageProps } from './page-props';
import { translate } from './i18n';
import { CodePicker, useDimensions } from './dimensions';
import { ProblemTable, type RowProblem, UploadPanel } from './upload';

const code = (text: string): number | string => (/^\d+$/.test(text) ? Number(text) : text);

/** Province areas from CSV text: province_code, min_lat, min_lon, max_lat, max_lon (a header line is skipped). */
function readAreas(text: string): { areas: Array<{ provinceCode: string; minLat: number; minLon: number; maxLat: number; maxLon: number }>; bad: number[] } {
  const areas: Array<{ provinceCode: string; minLat: number; minLon: number; maxLat: number; maxLon: number }> = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const cells = raw.replace(/^\uFEFF/, '').split(',').map((c) => c.trim());
    if (cells.every((c) => c === '') || /province/i.test(cells[0] ?? '')) return;
    const numbers = cells.slice(1, 5).map(Number);
    if (cells.length < 5 || numbers.some((n) => !Number.isFinite(n))) return void bad.push(i + 1);
    const [minLat, minLon, maxLat, maxLon] = numbers as [number, number, number, number];
    areas.push({ provinceCode: (cells[0] ?? '').padStart(2, '0'), minLat, minLon, maxLat, maxLon });
  });
  return { areas, bad };
}

/** A preview's cells that would change, old → new, in file order. */
function QuotaChanges(props: { lang: Lang; reply: QuotaImportReply }) {
  const t = translate(props.lang);
  return (
    <div class="quota-changes">
      <h3>{t('quotaChanges', { count: props.reply.changes.length, unchanged: props.reply.unchanged })}</h3>
      {props.reply.changes.length > 0 && (
        <div class="scroll">
          <table>
            <thead>
              <tr><th class="num">{t('line')}</th><th>{t('province')}</th><th class="num">{t('level')}</th><th class="num">{t('serviceField')}</th><th class="num">{t('respondentType')}</th><th class="num">{t('oldTarget')}</th><th class="num">{t('newTarget')}</th></tr>
            </thead>
            <tbody>
              {props.reply.changes.map((c) => (
                <tr key={c.line} class="change" data-line={c.line}>
                  <td class="num">{c.line}</td><td>{c.provinceCode}</td><td class="num">{String(c.servingLevel)}</td><td class="num">{String(c.serviceField)}</td>
                  <td class="num">{c.respondentType === null ? '—' : String(c.respondentType)}</td>
                  <td class="num before">{c.before === null ? t('noTarget') : c.before}</td><td class="num after">{c.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Quota targets (upload, one cell at a time) and the province areas of the round's edition. */
export function QuotasPage(props: PageProps & { round: RoundView }) {
  const t = translate(props.lang);
  const roundId = props.round.id;
  const edition = props.round.boundaryEdition;
  const [targets, setTargets] = useState<QuotaTargetsReply['targets']>([]);
  const [areas, setAreas] = useState<AreasReply['areas']>([]);
  const [cell, setCell] = useState({ provinceCode: '', servingLevel: '', serviceField: '', target: '' });
  const dimensions = useDimensions(props);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [areaProblems, setAreaProblems] = useState<RowProblem[]>([]);
  const load = async () => {
    const [q, a] = await Promise.all([props.guard(orThrow(api.quotas(props.token, roundId))), props.guard(orThrow(api.provinceAreas(props.token, edition)))]);
    setTargets(q.targets);
    setAreas(a.areas);
  };
  useEffect(() => void load().catch(() => undefined), [roundId]);
  const fail = (e: unknown) => setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
  const saveCell = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await props.guard(
        orThrow(api.setQuotaCell(props.token, roundId, { provinceCode: cell.provinceCode.padStart(2, '0'), servingLevel: code(cell.servingLevel), serviceField: code(cell.serviceField), target: Number(cell.target) })),
      );
      setNote(t('done'));
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const set = (field: keyof typeof cell) => (e: Event) => setCell({ ...cell, [field]: (e.currentTarget as HTMLInputElement).value });
  const uploadAreas = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const { areas: read, bad } = readAreas(await file.text());
    setAreaProblems(bad.map((line) => ({ line, field: '', code: 'wrong_format', message: t('areasBad', { line }) })));
    if (bad.length > 0 || read.length === 0) return;
    try {
      setAreas((await props.guard(orThrow(api.setProvinceAreas(props.token, edition, { areas: read })))).areas);
      setNote(t('done'));
    } catch (err) {
      fail(err);
    }
  };
  return (
    <>
      <section>
        <h2>{t('uploadQuotas')}</h2>
        <UploadPanel
          lang={props.lang}
          label={t('file')}
          name="quotas-file"
          canPreview
          send={(upload, options) => props.guard(orThrow(api.importQuotas(props.token, roundId, upload, options)))}
          onDone={() => void load()}
          showPreview={(reply) => <QuotaChanges lang={props.lang} reply={reply} />}
        />
      </section>
      <section>
        <h2>{t('setCell')}</h2>
        <form class="grid-form" onSubmit={(e) => void saveCell(e)} aria-label={t('setCell')}>
          <label>{t('province')}<input name="cell-province" value={cell.provinceCode} onInput={set('provinceCode')} required size={4} /></label>
          <label>{t('level')}<CodePicker lang={props.lang} name="cell-level" options={dimensions.servingLevel} value={cell.servingLevel} required onChange={(v) => setCell({ ...cell, servingLevel: v })} /></label>
          <label>{t('serviceField')}<CodePicker lang={props.lang} name="cell-field" options={dimensions.serviceField} value={cell.serviceField} required onChange={(v) => setCell({ ...cell, serviceField: v })} /></label>
          <label>{t('target')}<input name="cell-target" type="number" min={0} value={cell.target} onInput={set('target')} required /></label>
          <button type="submit" class="primary">{t('save')}</button>
        </form>
        {note && <p role="status">{note}</p>}
        {error && <p class="error" role="alert">{error}</p>}
        <h3>{t('targets', { count: targets.length })}</h3>
        <div class="scroll">
          <table>
            <thead><tr><th>{t('province')}</th><th class="num">{t('level')}</th><th class="num">{t('serviceField')}</th><th class="num">{t('target')}</th></tr></thead>
            <tbody>
              {targets.map((q) => (
                <tr key={`${q.provinceCode}/${String(q.servingLevel)}/${String(q.serviceField)}/${String(q.respondentType)}`} class="quota" data-cell={`${q.provinceCode}/${String(q.servingLevel)}/${String(q.serviceField)}`}>
                  <td>{q.provinceCode}</td><td class="num">{String(q.servingLevel)}</td><td class="num">{String(q.serviceField)}</td><td class="num">{q.target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section>
        <h2>{t('areas')} — {edition}</h2>
        <label>{t('uploadAreas')}<input type="file" name="areas-file" accept=".csv,text/csv" onChange={(e) => void uploadAreas(e.currentTarget.files?.[0])} /></label>
        <ProblemTable lang={props.lang} problems={areaProblems} fileName="areas-problems.csv" />
        <table>
          <thead><tr><th>{t('province')}</th><th class="num">min lat</th><th class="num">min lon</th><th class="num">max lat</th><th class="num">max lon</th></tr></thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.provinceCode} class="area"><td>{a.provinceCode}</td><td class="num">{a.minLat}</td><td class="num">{a.minLon}</td><td class="num">{a.maxLat}</td><td class="num">{a.maxLon}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
