import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Option } from '../../../survey-forms/form-definition.schema';
import {
  api,
  ApiError,
  orThrow,
  type FormDefinition,
  type QuotaProgressQuery,
  type QuotaProgressReply,
  type ReviewListReply,
  type RoundView,
} from '../../shared/api-client';
import { mergeProvince } from './progress-merge';
import { readViewState, writeViewState, type ViewState } from './view-state';

/** How often the dashboard asks what changed: a few hundred bytes, read again only where something did. */
const POLL_MS = 3000;
/** Beyond this many changed provinces, one read of the whole view is cheaper than one per province. */
const MAX_PROVINCE_READS = 6;
const EPOCH = '2000-01-01T00:00:00Z';
const SNAPSHOT_KEY = 'sipas-supervisor-progress:';

/** The options of a questionnaire's classifying item (inline, or its code list). */
function optionsOf(form: FormDefinition, itemId: string): Option[] {
  const item = form.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
  if (!item || (item.type !== 'single' && item.type !== 'multiple')) return [];
  return item.options ?? (item.codeList ? (form.codeLists[item.codeList] ?? []) : []);
}

/**
 * What the supervisor watches: the view in the URL, the rounds and the questionnaire, the progress of
 * the level in view and the review queue. After one full read it polls which provinces changed and
 * reads only those again. A lost session logs out.
 */
export function useSupervision(token: string, onLogout: () => void) {
  const [view, setViewState] = useState<ViewState>(() => readViewState(location.search));
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [form, setForm] = useState<FormDefinition | null>(null);
  const [progress, setProgress] = useState<QuotaProgressReply | null>(null);
  const [queue, setQueue] = useState<ReviewListReply | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);
  const since = useRef<string>(EPOCH);

  const setView = useCallback((next: ViewState) => {
    history.pushState(null, '', `${location.pathname}${writeViewState(next)}`);
    setViewState(next);
  }, []);
  useEffect(() => {
    const onPop = () => setViewState(readViewState(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 401) onLogout();
    else setError((e as Error).message);
  };

  useEffect(() => {
    orThrow(api.rounds(token)).then((r) => setRounds(r.rounds), fail);
  }, [token]);
  const roundId = view.round ?? rounds?.[0]?.id ?? null;
  const round = rounds?.find((r) => r.id === roundId);
  // The questionnaire (filter labels, the review screen) is read once the progress is on screen: the first render waits for nothing else.
  const progressShown = progress !== null;
  useEffect(() => {
    if (!round || !progressShown || (form?.formId === round.formId && form.version === round.formVersion)) return;
    orThrow(api.form(token, round.formId, round.formVersion)).then(setForm, () => undefined);
  }, [round?.id, token, progressShown]);

  const query: QuotaProgressQuery = {
    ...(view.province ? { province: view.province } : {}),
    ...(view.postOffice ? { postOffice: view.postOffice } : {}),
    ...(view.enumerator ? { enumerator: view.enumerator } : {}),
    ...(view.level ? { servingLevel: view.level } : {}),
    ...(view.field ? { serviceField: view.field } : {}),
    // The national overview shows provinces: its thousands of cells, its post offices and enumerators stay on the server.
    cells: view.province !== null,
    details: view.province !== null,
  };
  const queryKey = JSON.stringify([roundId, query]);

  const readQueue = useCallback(async () => {
    if (!roundId) return;
    setQueue(
      await orThrow(
        api.reviewQueue(token, roundId, { status: 'flagged', limit: 50, ...(view.province ? { province: view.province } : {}), ...(view.postOffice ? { postOffice: view.postOffice } : {}) }),
      ),
    );
  }, [queryKey, token]);

  const readAll = useCallback(async () => {
    if (!roundId) return;
    try {
      // The progress draws as soon as it arrives, the queue on its own; the poll starts from the moment the progress was read.
      const queue = readQueue();
      const fresh = await orThrow(api.quotaProgress(token, roundId, query));
      setProgress(fresh);
      setUpdatedAt(new Date());
      setError(null);
      since.current = fresh.readAt;
      await queue;
    } catch (e) {
      fail(e);
    }
  }, [queryKey, token]);

  useEffect(() => {
    // What this tab last showed of this view draws at once, marked as being read again; the fresh reply replaces it.
    const kept = sessionStorage.getItem(`${SNAPSHOT_KEY}${queryKey}`);
    setProgress(kept ? (JSON.parse(kept) as QuotaProgressReply) : null);
    setUpdatedAt(null);
    void readAll();
  }, [readAll]);
  useEffect(() => {
    if (progress) {
      try {
        sessionStorage.setItem(`${SNAPSHOT_KEY}${queryKey}`, JSON.stringify(progress));
      } catch {
        // A full storage only costs the instant redraw.
      }
    }
  }, [progress]);

  useEffect(() => {
    if (!roundId) return undefined;
    let busy = false;
    const timer = setInterval(() => {
      // Until the first read has said when it read, there is nothing to ask about.
      if (busy || document.hidden || since.current === EPOCH) return;
      busy = true;
      void (async () => {
        try {
          const changes = await orThrow(api.progressChanges(token, roundId, since.current));
          since.current = changes.now;
          const relevant = view.province ? changes.provinces.filter((c) => c === view.province) : changes.provinces;
          if (relevant.length === 0) return;
          if (view.province || relevant.length > MAX_PROVINCE_READS) {
            setProgress(await orThrow(api.quotaProgress(token, roundId, query)));
          } else {
            const fresh = await Promise.all(relevant.map((code) => orThrow(api.quotaProgress(token, roundId, { ...query, province: code, cells: false }))));
            setProgress((whole) => (whole ? relevant.reduce((acc, code, i) => mergeProvince(acc, fresh[i] as QuotaProgressReply, code), whole) : whole));
          }
          await readQueue();
          setUpdatedAt(new Date());
        } catch (e) {
          fail(e);
        } finally {
          busy = false;
        }
      })();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [queryKey, token]);

  const levels = form ? optionsOf(form, form.dimensions.servingLevel) : [];
  const fields = form ? optionsOf(form, form.dimensions.serviceField) : [];
  return { view, setView, rounds, roundId, form, levels, fields, progress, queue, updatedAt, error, refresh: readAll };
}
