import { useEffect, useState } from 'preact/hooks';
import { codeMessage } from '../../../survey-forms/codes';
import { api, orThrow } from '../../shared/api-client';
import type { Lang } from './i18n';

type Queue = Awaited<ReturnType<typeof loadQueue>>;
type Keyers = Awaited<ReturnType<typeof loadKeyers>>;
type Choice = { kind: 'first' | 'second' } | { kind: 'typed'; text: string };

const loadQueue = (token: string, roundId: string) => orThrow(api.verificationQueue(token, roundId));
const loadKeyers = (token: string, roundId: string) => orThrow(api.keyingErrors(token, roundId));

function words(lang: Lang) {
  const vi = lang === 'vi';
  return {
    queueTitle: (n: number, second: number) =>
      vi ? `Phiếu giấy chờ đối chiếu: ${n} (chờ nhập lần hai: ${second})` : `Paper forms awaiting verification: ${n} (awaiting second keying: ${second})`,
    empty: vi ? 'Không có phiếu nào hai lần nhập khác nhau.' : 'No form whose two keyings differ.',
    form: (serial: string, a: string, b: string) => (vi ? `Phiếu ${serial} – nhập bởi ${a} và ${b}` : `Form ${serial} – keyed by ${a} and ${b}`),
    question: vi ? 'Câu hỏi' : 'Question',
    first: vi ? 'Lần nhập 1' : 'First keying',
    second: vi ? 'Lần nhập 2' : 'Second keying',
    paper: vi ? 'Giá trị trên phiếu giấy' : 'Value on the paper',
    typed: vi ? 'Gõ giá trị khác' : 'Type another value',
    blank: vi ? '(trống)' : '(blank)',
    confirm: vi ? 'Xác nhận theo phiếu giấy' : 'Confirm as on the paper',
    verified: (serial: string) => (vi ? `Đã đối chiếu phiếu ${serial}.` : `Form ${serial} verified.`),
    keyersTitle: vi ? 'Tỷ lệ lỗi nhập liệu theo người nhập' : 'Keying error rate per keyer',
    keyer: vi ? 'Người nhập' : 'Keyer',
    forms: vi ? 'Phiếu nhập hai lần' : 'Double-keyed forms',
    items: vi ? 'Câu đã nhập' : 'Items keyed',
    differing: vi ? 'Câu khác nhau' : 'Differing items',
    rate: vi ? 'Tỷ lệ lỗi' : 'Error rate',
    printTitle: vi ? 'In phiếu giấy' : 'Print paper forms',
    printBy: vi ? 'In theo' : 'Print by',
    byProvince: vi ? 'Mã tỉnh' : 'Province code',
    byEnumerator: vi ? 'Điều tra viên' : 'Enumerator',
    byUnits: vi ? 'Mã đơn vị mẫu (cách nhau bởi dấu phẩy)' : 'Unit ids (comma-separated)',
    print: vi ? 'Mở bản in' : 'Open the print view',
    failed: (m: string) => (vi ? `Lỗi: ${m}` : `Failed: ${m}`),
  };
}

const shown = (value: unknown, blank: string): string => {
  if (value === undefined || value === null) return blank;
  if (Array.isArray(value)) return value.map((v) => shown(v, blank)).join(', ');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
};

/** What the supervisor typed, as an answer: a number when it is one, codes of a multiple choice, text otherwise; empty is no answer. */
function typedValue(text: string, like: unknown): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const one = (part: string) => (/^-?\d+$/.test(part) ? Number(part) : part);
  return Array.isArray(like) ? trimmed.split(/[\s,;]+/).map(one) : one(trimmed);
}

/** Double entry for the supervisor: forms whose keyings differ, keying error rates, and printing the paper forms. */
export function PaperForms({ lang, token, roundId }: { lang: Lang; token: string; roundId: string }) {
  const w = words(lang);
  const [queue, setQueue] = useState<Queue | null>(null);
  const [keyers, setKeyers] = useState<Keyers | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printBy, setPrintBy] = useState<'province' | 'enumerator' | 'unitIds'>('province');
  const [printValue, setPrintValue] = useState('');

  const reload = async () => {
    try {
      const [q, k] = await Promise.all([loadQueue(token, roundId), loadKeyers(token, roundId)]);
      setQueue(q);
      setKeyers(k);
    } catch (e) {
      setError(w.failed(e instanceof Error ? e.message : String(e)));
    }
  };
  useEffect(() => void reload(), [token, roundId]);

  const confirm = async (item: Queue['items'][number]) => {
    const values: Record<string, unknown> = {};
    for (const d of item.differences) {
      const choice = choices[`${item.responseId}/${d.itemId}`] ?? { kind: 'first' };
      values[d.itemId] = choice.kind === 'typed' ? typedValue(choice.text, d.first ?? d.second) : ((choice.kind === 'first' ? d.first : d.second) ?? null);
    }
    const outcome = await api.verify(token, roundId, item.responseId, values);
    if (outcome.kind === 'ok') {
      setMessage(w.verified(item.serial));
      setError(null);
    } else setError(outcome.kind === 'http' && outcome.code === 'stale_decision' ? codeMessage('stale_decision', lang) : w.failed(outcome.message ?? outcome.kind));
    await reload();
  };

  const openPrint = async () => {
    const outcome = await api.printForms(token, roundId, { [printBy]: printValue.trim() });
    if (outcome.kind !== 'ok') return setError(w.failed(outcome.message ?? outcome.kind));
    window.open(URL.createObjectURL(new Blob([outcome.value], { type: 'text/html' })), '_blank');
  };

  const choose = (key: string, choice: Choice) => setChoices({ ...choices, [key]: choice });
  return (
    <>
      <section aria-labelledby="verification-title" class="verification">
        <h2 id="verification-title">{queue ? w.queueTitle(queue.total, queue.awaitingSecondKeying) : w.queueTitle(0, 0)}</h2>
        {message && <p role="status">{message}</p>}
        {error && <p class="error" role="alert">{error}</p>}
        {queue && queue.items.length === 0 && <p>{w.empty}</p>}
        {queue?.items.map((item) => (
          <form key={item.responseId} class="verify" data-serial={item.serial} onSubmit={(e) => { e.preventDefault(); void confirm(item); }}>
            <h3>{w.form(item.serial, item.firstKeyer, item.secondKeyer)}</h3>
            <table>
              <thead>
                <tr><th>{w.question}</th><th>{w.first}</th><th>{w.second}</th><th>{w.paper}</th></tr>
              </thead>
              <tbody>
                {item.differences.map((d) => {
                  const key = `${item.responseId}/${d.itemId}`;
                  const choice = choices[key] ?? { kind: 'first' };
                  const name = `pick-${key}`;
                  return (
                    <tr key={key} data-item={d.itemId}>
                      <td>{d.label[lang]}</td>
                      <td><label><input type="radio" name={name} checked={choice.kind === 'first'} onChange={() => choose(key, { kind: 'first' })} /> {shown(d.first, w.blank)}</label></td>
                      <td><label><input type="radio" name={name} checked={choice.kind === 'second'} onChange={() => choose(key, { kind: 'second' })} /> {shown(d.second, w.blank)}</label></td>
                      <td>
                        <input aria-label={`${w.typed}: ${d.label[lang]}`} placeholder={w.typed} value={choice.kind === 'typed' ? choice.text : ''}
                          onInput={(e) => choose(key, { kind: 'typed', text: e.currentTarget.value })} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <button type="submit">{w.confirm}</button>
          </form>
        ))}
      </section>
      <section aria-labelledby="keyers-title" class="keyers">
        <h2 id="keyers-title">{w.keyersTitle}</h2>
        <table>
          <thead><tr><th>{w.keyer}</th><th class="num">{w.forms}</th><th class="num">{w.items}</th><th class="num">{w.differing}</th><th class="num">{w.rate}</th></tr></thead>
          <tbody>
            {keyers?.keyers.map((k) => (
              <tr key={k.keyer} data-keyer={k.keyer}>
                <td>{k.keyer}</td><td class="num">{k.forms}</td><td class="num">{k.itemsKeyed}</td><td class="num">{k.differingItems}</td>
                <td class="num">{k.rate === null ? '–' : `${(k.rate * 100).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 })} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="print-title" class="print">
        <h2 id="print-title">{w.printTitle}</h2>
        <div class="filters">
          <label>
            {w.printBy}{' '}
            <select value={printBy} onChange={(e) => setPrintBy(e.currentTarget.value as typeof printBy)}>
              <option value="province">{w.byProvince}</option>
              <option value="enumerator">{w.byEnumerator}</option>
              <option value="unitIds">{w.byUnits}</option>
            </select>
          </label>
          <input aria-label={printBy === 'province' ? w.byProvince : printBy === 'enumerator' ? w.byEnumerator : w.byUnits} value={printValue} onInput={(e) => setPrintValue(e.currentTarget.value)} />
          <button type="button" onClick={() => void openPrint()}>{w.print}</button>
        </div>
      </section>
    </>
  );
}
