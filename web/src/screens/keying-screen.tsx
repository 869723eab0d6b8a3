import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { codeMessage } from '../../../survey-forms/codes';
import type { CompiledForm } from '../../../survey-forms/form';
import { parseSerial } from '../../../survey-forms/serial';
import type { Draft, OutboxItem, Session } from '../device-store';
import { compiledForm, formKey, unitKey, type FieldWorkDeps } from '../field-work';
import { withoutUnasked, type Answers } from '../form-model';
import { formatTime } from '../i18n';
import { keyedItems, keyOne, keyTyped, oneKeyCodes, previousItem, shownAnswer } from '../keying-model';
import { newClock } from '../paradata';
import { newUuid } from '../uuid';
import { APP_VERSION } from '../version';
import { keyingWords, type Lang } from './keying-words';
import { SerialScanner } from './serial-scanner';

/** The form being keyed: whose paper, which keying, and the questionnaire version. */
interface Target {
  serial: string;
  roundId: string;
  unitId: string;
  provinceCode: string;
  form: CompiledForm;
  keying: 'first' | 'second';
  /** The draft the form is kept in on the device; its id is the response's, made once when the form is opened. */
  draftId: string;
}

/** The keyed form this user left unfinished (the latest, should there be several), with its questionnaire version. */
async function unfinishedKeying(deps: FieldWorkDeps, username: string): Promise<{ draft: Draft; form: CompiledForm } | undefined> {
  const drafts = (await deps.store.drafts()).filter((d) => d.keyed && d.username === username).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  for (const draft of drafts) {
    const record = await deps.store.form(formKey(draft.formId, draft.formVersion));
    if (record) return { draft, form: compiledForm(record.definition) };
  }
  return undefined;
}

/**
 * Keyed entry of paper questionnaires: open a form by typing its serial (or scanning its QR code),
 * then key every answer without the mouse. The form in progress is a draft on the device, like an
 * interview's: every answer is saved as it is keyed, and a reload (or a flat battery) reopens it
 * where the cursor was. The finished form moves from the drafts to the same outbox as interviews,
 * with the same idempotency (its id is made once, when the form is opened).
 */
export function KeyingScreen({ deps, lang, session, onQueued }: { deps: FieldWorkDeps; lang: Lang; session: Session; onQueued: () => Promise<void> }) {
  const w = keyingWords(lang);
  const [serialText, setSerialText] = useState('');
  const [serialError, setSerialError] = useState<string | undefined>();
  const [target, setTarget] = useState<Target | undefined>();
  const [answers, setAnswers] = useState<Answers>({});
  const [cursor, setCursor] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [message, setMessage] = useState<string | undefined>();
  const [savedAt, setSavedAt] = useState<{ at: string; answers: number } | undefined>();
  const startedAt = useRef(new Date().toISOString());
  const serialInput = useRef<HTMLInputElement>(null);
  const cellInput = useRef<HTMLInputElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  // Before the next key can arrive: the keystroke after an answer must land in the next row.
  useLayoutEffect(() => {
    if (!target) serialInput.current?.focus();
    else if (cursor === null) saveButton.current?.focus();
    else {
      cellInput.current?.focus();
      cellInput.current?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    }
  }, [target, cursor]);

  // A keyed form left unfinished (the page reloaded, the app closed) opens again where it was.
  useEffect(() => {
    void unfinishedKeying(deps, session.username).then((found) => {
      if (!found?.draft.keyed) return;
      const { draft, form } = found;
      const keyed = draft.keyed as NonNullable<Draft['keyed']>;
      startedAt.current = draft.startedAt;
      setAnswers(draft.answers);
      setCursor(keyed.cursor);
      setTyped(keyed.cursor ? shownAnswer(draft.answers[keyed.cursor]) : '');
      setSavedAt({ at: draft.updatedAt, answers: Object.keys(draft.answers).length });
      setTarget({ serial: keyed.serial, roundId: draft.roundId, unitId: draft.sampleUnitId, provinceCode: draft.provinceCode, form, keying: keyed.keying, draftId: draft.id });
    });
  }, [session.username]);

  // Every answer keyed is saved in the form's draft at once; the writes are one transaction each, applied in order.
  useEffect(() => {
    if (!target) return;
    const updatedAt = new Date().toISOString();
    const keyed = { serial: target.serial, keying: target.keying, cursor };
    void deps.store.patchDraft(target.draftId, () => ({ answers, keyed, updatedAt })).then((saved) => {
      if (saved) setSavedAt({ at: updatedAt, answers: Object.keys(answers).length });
    });
  }, [target, answers, cursor]);

  /** A serial is refused at once when its check digits are wrong, before anything is asked of the server. */
  const checkSerial = (text: string): string | undefined => {
    const reading = parseSerial(text);
    if (reading.ok) return undefined;
    return reading.code === 'wrong_check_digit' ? codeMessage('wrong_check_digit', lang) : /\/\d{2}$/.test(text.trim()) ? w.notASerial : undefined;
  };

  const open = async (text: string) => {
    setMessage(undefined);
    const reading = parseSerial(text);
    if (!reading.ok) {
      setSerialError(reading.code === 'wrong_check_digit' ? codeMessage('wrong_check_digit', lang) : w.notASerial);
      return;
    }
    const serial = text.trim();
    const mine = (await deps.store.units()).find((u) => u.key === unitKey(reading.roundId, reading.unitId));
    const keyedHere = (await deps.store.sent()).some((s) => s.unitKey === unitKey(reading.roundId, reading.unitId)) || (await deps.store.outbox()).some((o) => o.kind === 'response' && o.unitKey === unitKey(reading.roundId, reading.unitId));
    let opened: Omit<Target, 'form' | 'draftId'> & { formId: string; formVersion: string };
    const round = (await deps.store.rounds()).find((r) => r.id === reading.roundId);
    if (mine && round && mine.status !== 'completed' && !keyedHere) {
      opened = { serial, roundId: round.id, unitId: mine.unitId, provinceCode: mine.provinceCode, keying: 'first', formId: round.formId, formVersion: round.formVersion };
    } else {
      // Not one of this keyer's units to key first: ask the server (a second keying is someone else's unit).
      const found = await deps.api.keyedForm(session.token, serial);
      if (found.kind !== 'ok') {
        setSerialError(found.kind === 'network' ? w.offlineSecond : found.kind === 'http' ? found.message : w.loginAgain);
        return;
      }
      const view = found.value;
      if (view.keying === 'done') return setSerialError(w.alreadyKeyed);
      if (view.keyedByYou || (view.keying === 'second' && keyedHere)) return setSerialError(codeMessage('same_keyer', lang));
      opened = { serial, roundId: view.roundId, unitId: view.unitId, provinceCode: view.provinceCode, keying: view.keying, formId: view.formId, formVersion: view.formVersion };
    }
    const key = formKey(opened.formId, opened.formVersion);
    let record = await deps.store.form(key);
    if (!record) {
      const fetched = await deps.api.form(session.token, opened.formId, opened.formVersion);
      if (fetched.kind !== 'ok') return setSerialError(w.offlineSecond);
      record = { key, definition: fetched.value };
      await deps.store.putForm(record);
    }
    const form = compiledForm(record.definition);
    const now = new Date().toISOString();
    const first = keyedItems(form, {})[0]?.item.id ?? null;
    const draft: Draft = {
      id: newUuid(),
      username: session.username,
      unitKey: unitKey(opened.roundId, opened.unitId),
      unitLabel: serial,
      roundId: opened.roundId,
      sampleUnitId: opened.unitId,
      provinceCode: opened.provinceCode,
      formId: opened.formId,
      formVersion: opened.formVersion,
      answers: {},
      startedAt: now,
      clock: newClock(),
      sectionIndex: 0,
      updatedAt: now,
      keyed: { serial, keying: opened.keying, cursor: first },
    };
    await deps.store.putDraft(draft);
    startedAt.current = now;
    setSerialError(undefined);
    setAnswers({});
    setProblems([]);
    setTyped('');
    setSavedAt(undefined);
    setTarget({ serial, roundId: opened.roundId, unitId: opened.unitId, provinceCode: opened.provinceCode, keying: opened.keying, form, draftId: draft.id });
    setCursor(first);
  };

  const move = (step: { answers: Answers; cursor: string | null }) => {
    setAnswers(step.answers);
    setCursor(step.cursor);
    setTyped(step.cursor ? shownAnswer(step.answers[step.cursor]) : '');
  };

  const onCellKey = (event: KeyboardEvent) => {
    if (!target || cursor === null) return;
    const fi = target.form.itemById.get(cursor);
    if (!fi) return;
    if (event.key === 'Backspace' && typed === '') {
      event.preventDefault();
      const back = previousItem(target.form, answers, cursor);
      setCursor(back);
      setTyped(shownAnswer(answers[back]));
      return;
    }
    if (oneKeyCodes(fi)) {
      if (event.key.length !== 1) return;
      event.preventDefault();
      const step = keyOne(target.form, answers, cursor, event.key);
      if (step) move(step);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      move(keyTyped(target.form, answers, cursor, typed));
    }
  };

  const save = async () => {
    if (!target) return;
    const final = withoutUnasked(target.form, answers);
    const found = target.form.validateAnswers(final);
    if (found.length > 0) {
      setProblems(found.map((p) => `${p.path.replace('/answers/', '')}: ${codeMessage(p.code, lang)}`));
      const first = /^\/answers\/([^/]+)/.exec(found[0]?.path ?? '')?.[1];
      if (first && target.form.itemById.has(first)) setCursor(first);
      return;
    }
    const id = target.draftId;
    const item: OutboxItem = {
      id,
      kind: 'response',
      username: session.username,
      unitKey: unitKey(target.roundId, target.unitId),
      unitLabel: target.serial,
      queuedAt: new Date().toISOString(),
      state: 'waiting',
      attempts: 0,
      payload: {
        id,
        roundId: target.roundId,
        formId: target.form.definition.formId,
        formVersion: target.form.definition.version,
        provinceCode: target.provinceCode,
        sampleUnitId: target.unitId,
        mode: 'papi',
        serial: target.serial,
        answers: final,
        paradata: { startedAt: startedAt.current, endedAt: new Date().toISOString(), appVersion: APP_VERSION },
      },
    };
    // From the drafts to the outbox in one transaction: never in both, never in neither.
    await deps.store.completeDraft(id, item);
    setMessage(w.queued(target.serial, target.keying));
    setTarget(undefined);
    setSerialText('');
    await onQueued();
  };

  if (!target) {
    return (
      <section class="card keying" aria-labelledby="keying-title">
        <h2 id="keying-title">{w.title}</h2>
        {message && (
          <p class="notice notice-ok" role="status">
            {message}
          </p>
        )}
        <label for="serial">{w.serialLabel}</label>
        <input
          id="serial"
          ref={serialInput}
          class="serial-input"
          autocomplete="off"
          spellcheck={false}
          value={serialText}
          aria-invalid={serialError ? 'true' : 'false'}
          aria-describedby="serial-error"
          onInput={(e) => {
            const text = (e.target as HTMLInputElement).value;
            setSerialText(text);
            setSerialError(checkSerial(text));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void open(serialText);
            }
          }}
        />
        <p id="serial-error" class="field-error" role="alert">
          {serialError ?? ''}
        </p>
        <SerialScanner lang={lang} onSerial={(text) => {
          setSerialText(text);
          void open(text);
        }} />
      </section>
    );
  }

  const rows = keyedItems(target.form, answers);
  const current = cursor === null ? undefined : target.form.itemById.get(cursor);
  return (
    <section class="card keying" aria-labelledby="keying-form-title">
      <h2 id="keying-form-title">
        {w.keyingOf(target.serial, target.keying)}
      </h2>
      <p class="keying-current" aria-live="polite">
        {current ? `${w.question(rows.findIndex((r) => r.item.id === cursor) + 1)} ${current.item.label[lang]}` : w.allKeyed}
      </p>
      <p class="hint">{w.keysHint}</p>
      <div class="keying-grid-wrap">
        <table class="keying-grid">
          <tbody>
            {rows.map((fi, i) => {
              const here = fi.item.id === cursor;
              return (
                <tr key={fi.item.id} class={here ? 'current' : ''} aria-current={here ? 'true' : undefined} data-item={fi.item.id}>
                  <th scope="row">{i + 1}</th>
                  <td>{fi.item.label[lang]}</td>
                  <td class="keyed-value">
                    {here ? (
                      <input
                        ref={cellInput}
                        aria-label={fi.item.label[lang]}
                        value={oneKeyCodes(fi) ? shownAnswer(answers[fi.item.id]) : typed}
                        onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
                        onKeyDown={onCellKey}
                      />
                    ) : (
                      <span>{shownAnswer(answers[fi.item.id])}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {problems.length > 0 && (
        <ul class="field-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" class="primary" ref={saveButton} onClick={() => void save()}>
          {w.save}
        </button>
        <button
          type="button"
          onClick={() => {
            void deps.store.deleteDraft(target.draftId);
            setTarget(undefined);
          }}
        >
          {w.cancel}
        </button>
      </div>
      <p class="saved" role="status" data-testid="keyed-draft-saved" data-answers={savedAt?.answers ?? 0}>
        {savedAt ? w.draftSaved(formatTime(savedAt.at, lang)) : ''}
      </p>
    </section>
  );
}
