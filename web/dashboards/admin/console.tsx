import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, orThrow, type RoundView } from '../../shared/api-client';
import type { Lang } from '../../shared/i18n';
import { translate, type MessageKey } from './i18n';
import { MethodPage } from './method';
import { QuotasPage } from './quotas';
import { RoundsPage } from './rounds';
import { SamplePage } from './sample';
import { UsersPage } from './users';
import type { PageProps } from './page-props';

const PAGES = ['users', 'rounds', 'sample', 'quotas', 'preview'] as const satisfies ReadonlyArray<MessageKey>;
type Page = (typeof PAGES)[number];

/** The console's frame: the sections, and the round the round-bound sections work on. */
export function Console(props: { lang: Lang; token: string; onLogout: () => void }) {
  const t = translate(props.lang);
  const [page, setPage] = useState<Page>(() => {
    const fromHash = location.hash.slice(1) as Page;
    return PAGES.includes(fromHash) ? fromHash : 'users';
  });
  const [rounds, setRounds] = useState<RoundView[]>([]);
  const [roundId, setRoundId] = useState<string>('');
  const guard = async <T,>(call: Promise<T>): Promise<T> => {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) props.onLogout();
      throw error;
    }
  };
  const loadRounds = async (select?: string) => {
    const list = (await guard(orThrow(api.rounds(props.token)))).rounds;
    setRounds(list);
    setRoundId((current) => select ?? (list.some((r) => r.id === current) ? current : (list[0]?.id ?? '')));
  };
  useEffect(() => {
    void loadRounds().catch(() => undefined);
  }, [props.token]);
  useEffect(() => {
    history.replaceState(null, '', `#${page}`);
  }, [page]);
  const shared: PageProps = { lang: props.lang, token: props.token, guard };
  const round = rounds.find((r) => r.id === roundId);
  const needsRound = page === 'sample' || page === 'quotas';
  return (
    <div class="console">
      <nav aria-label={t('sections')}>
        {PAGES.map((p) => (
          <button type="button" key={p} class={p === page ? 'current' : ''} aria-current={p === page ? 'page' : undefined} onClick={() => setPage(p)}>
            {t(p === 'sample' ? 'sample' : p)}
            {p === 'sample' ? ` · ${t('assignments')}` : ''}
          </button>
        ))}
      </nav>
      <main>
        {needsRound && rounds.length > 0 && (
          <label class="round-picker">
            {t('round')}
            <select value={roundId} onChange={(e) => setRoundId(e.currentTarget.value)}>
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id} ({t(r.status)})
                </option>
              ))}
            </select>
          </label>
        )}
        {needsRound && !round && <p>{t('noRound')}</p>}
        {page === 'users' && <UsersPage {...shared} />}
        {page === 'rounds' && <RoundsPage {...shared} rounds={rounds} roundId={roundId} onRound={setRoundId} reload={loadRounds} />}
        {page === 'sample' && round && <SamplePage {...shared} round={round} />}
        {page === 'quotas' && round && <QuotasPage {...shared} round={round} />}
        {page === 'preview' && <MethodPage {...shared} />}
      </main>
    </div>
  );
}
