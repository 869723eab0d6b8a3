import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Option } from '../../../survey-forms/form-definition.schema';
import { api, ApiError, orThrow, type FormDefinition, type QuotaProgressReply, type ReviewListReply, type RoundView } from '../../shared/api-client';

/** How often the dashboard reads progress and the queue again: fresh enough to watch a day's work. */
const POLL_MS = 3000;

/** The options of a questionnaire's classifying item (inline, or its code list). */
function optionsOf(form: FormDefinition, itemId: string): Option[] {
  const item = form.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
  if (!item || (item.type !== 'single' && item.type !== 'multiple')) return [];
  return item.options ?? (item.codeList ? (form.codeLists[item.codeList] ?? []) : []);
}

/**
 * What the supervisor watches: the rounds, the serving levels and service fields to filter by, and
 * the chosen round's quota progress and review queue, read again every few seconds. A lost session logs out.
 */
export function useSupervision(token: string, onLogout: () => void) {
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [roundId, setRoundId] = useState<string | null>(null);
  const [levels, setLevels] = useState<Option[]>([]);
  const [fields, setFields] = useState<Option[]>([]);
  const [level, setLevel] = useState('');
  const [field, setField] = useState('');
  const [progress, setProgress] = useState<QuotaProgressReply | null>(null);
  const [queue, setQueue] = useState<ReviewListReply | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    orThrow(api.rounds(token)).then(
      (r) => {
        setRounds(r.rounds);
        setRoundId((current) => current ?? r.rounds[0]?.id ?? null);
      },
      (e: Error) => setError(e.message),
    );
  }, [token]);

  const round = rounds?.find((r) => r.id === roundId);
  useEffect(() => {
    if (!round) return;
    orThrow(api.form(token, round.formId, round.formVersion)).then((form) => {
      setLevels(optionsOf(form, form.dimensions.servingLevel));
      setFields(optionsOf(form, form.dimensions.serviceField));
    }, () => undefined);
  }, [round?.id, token]);

  const refresh = useCallback(async () => {
    if (!roundId) return;
    try {
      const [p, q] = await Promise.all([
        orThrow(api.quotaProgress(token, roundId, { ...(level ? { servingLevel: level } : {}), ...(field ? { serviceField: field } : {}) })),
        orThrow(api.reviewQueue(token, roundId, { status: 'flagged', limit: 100 })),
      ]);
      setProgress(p);
      setQueue(q);
      setUpdatedAt(new Date());
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) onLogout();
      else setError((e as Error).message);
    }
  }, [roundId, level, field, token]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return { rounds, roundId, setRoundId, levels, fields, level, setLevel, field, setField, progress, queue, updatedAt, error, refresh };
}
