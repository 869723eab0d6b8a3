import { useState } from 'preact/hooks';
import { shownStatus, type Snapshot } from '../device-snapshot';
import type { Draft, UnitRecord } from '../device-store';
import { formatTime, translate, type Lang, type MessageKey } from '../i18n';

type Outcome = 'refused' | 'not-reachable' | 'appointment' | 'revisit';

/** The assigned units with their contact and status: start or resume an interview, or report why there was none. */
export function Assignments(props: {
  lang: Lang;
  snapshot: Snapshot;
  onStart: (unit: UnitRecord) => Promise<void>;
  onResume: (draft: Draft) => void;
  onOutcome: (unit: UnitRecord, status: Outcome, note: string, appointmentAt?: string) => Promise<void>;
}) {
  const { lang, snapshot } = props;
  const t = translate(lang);
  const [outcomeFor, setOutcomeFor] = useState<string | undefined>();
  // Interviews begun on units no longer in the downloaded list (reassigned, round closed) stay reachable.
  const orphans = snapshot.drafts.filter((d) => !snapshot.units.some((u) => u.key === d.unitKey));
  return (
    <section class="card" aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t('assignments', { count: snapshot.units.length })}</h2>
      {snapshot.units.length === 0 && <p>{t('noAssignments')}</p>}
      <ul class="units">
        {orphans.map((draft) => (
          <li key={draft.id} class="unit" data-unit={draft.sampleUnitId}>
            <div class="unit-head">
              <strong>{draft.unitLabel}</strong>
              <span class="status status-in-progress">{t('status.in-progress')}</span>
            </div>
            <p class="hint">
              {draft.sampleUnitId} · {t('notInList')}
            </p>
            <div class="row">
              <button type="button" class="primary" onClick={() => props.onResume(draft)}>
                {t('resume')}
              </button>
            </div>
          </li>
        ))}
        {snapshot.units.map((unit) => {
          const status = shownStatus(unit, snapshot);
          const draft = snapshot.drafts.find((d) => d.unitKey === unit.key);
          const hasForm = snapshot.formKeys.has(snapshot.roundForms.get(unit.roundId) ?? '');
          const open = status !== 'completed' && status !== 'queued' && status !== 'needs-correction' && status !== 'returned';
          return (
            <li key={unit.key} class="unit" data-unit={unit.unitId}>
              <div class="unit-head">
                <strong>{unit.contact.name}</strong>
                <span class={`status status-${status}`}>{t(`status.${status}` as MessageKey)}</span>
              </div>
              {unit.answeredOnline && (
                <p class="answered-online" data-testid="answered-online">
                  {t('answeredOnline')}
                </p>
              )}
              <p class="hint">
                {unit.unitId} · {unit.provinceName}
              </p>
              {unit.contact.phone && (
                <p>
                  <a href={`tel:${unit.contact.phone.replace(/[^\d+]/g, '')}`}>{unit.contact.phone}</a>
                </p>
              )}
              {unit.contact.address && <p>{unit.contact.address}</p>}
              {status === 'appointment' && unit.appointmentAt && <p class="appointment">{t('appointmentOn', { time: formatTime(unit.appointmentAt, lang) })}</p>}
              {unit.procedure && (
                <p class="hint">
                  {t('procedure')}: {unit.procedure}
                </p>
              )}
              {open && !hasForm && <p class="notice">{t('formMissing')}</p>}
              {open && hasForm && (
                <div class="row">
                  {draft ? (
                    <button type="button" class="primary" onClick={() => props.onResume(draft)}>
                      {t('resume')}
                    </button>
                  ) : (
                    <button type="button" class="primary" onClick={() => void props.onStart(unit)}>
                      {t('start')}
                    </button>
                  )}
                  {!draft && (
                    <button type="button" class="secondary" onClick={() => setOutcomeFor(outcomeFor === unit.key ? undefined : unit.key)}>
                      {t('notInterviewed')}
                    </button>
                  )}
                </div>
              )}
              {outcomeFor === unit.key && (
                <OutcomeForm
                  lang={lang}
                  onCancel={() => setOutcomeFor(undefined)}
                  onSave={async (status, note, appointmentAt) => {
                    setOutcomeFor(undefined);
                    await props.onOutcome(unit, status, note, appointmentAt);
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function OutcomeForm({ lang, onSave, onCancel }: { lang: Lang; onSave: (status: Outcome, note: string, appointmentAt?: string) => Promise<void>; onCancel: () => void }) {
  const t = translate(lang);
  const [status, setStatus] = useState<Outcome>('not-reachable');
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const [missing, setMissing] = useState(false);
  const save = () => {
    if (status !== 'appointment') return void onSave(status, note);
    // A datetime-local value has no offset: the device's own zone is the enumerator's.
    const at = when ? new Date(when) : null;
    if (!at || Number.isNaN(at.getTime())) return setMissing(true);
    return void onSave(status, note, at.toISOString());
  };
  return (
    <fieldset class="outcome">
      <legend>{t('outcome')}</legend>
      {(['not-reachable', 'refused', 'appointment', 'revisit'] as const).map((s) => (
        <label class="choice" key={s}>
          <input type="radio" name="outcome" checked={status === s} onChange={() => setStatus(s)} />
          <span>{t(`status.${s}`)}</span>
        </label>
      ))}
      {status === 'appointment' && (
        <>
          <label for="outcome-when">{t('appointmentAt')}</label>
          <input id="outcome-when" type="datetime-local" value={when} onInput={(e) => setWhen((e.target as HTMLInputElement).value)} />
          {missing && <p class="problem" role="alert">{t('appointmentNeeded')}</p>}
        </>
      )}
      <label for="outcome-note">{t('note')}</label>
      <textarea id="outcome-note" rows={2} maxLength={500} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      <div class="row">
        <button type="button" class="primary" onClick={save}>
          {t('save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </fieldset>
  );
}
