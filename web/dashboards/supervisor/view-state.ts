/**
 * Where the supervisor is looking, kept in the page's URL (`?round=…&province=…&postOffice=…`), so a
 * view can be bookmarked, shared and reloaded, and the browser's back button walks back up the drill-down.
 */
export interface ViewState {
  round: string | null;
  province: string | null;
  postOffice: string | null;
  enumerator: string | null;
  level: string;
  field: string;
  /** The overview's sort column and direction. */
  sort: SortKey;
  desc: boolean;
  /** The response open in the review screen. */
  response: string | null;
}

export const SORT_KEYS = ['name', 'share', 'pace', 'awaiting', 'rate'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const KEYS = ['round', 'province', 'postOffice', 'enumerator', 'level', 'field', 'sort', 'desc', 'response'] as const;

export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const sort = q.get('sort');
  return {
    round: q.get('round'),
    province: q.get('province'),
    postOffice: q.get('postOffice'),
    enumerator: q.get('enumerator'),
    level: q.get('level') ?? '',
    field: q.get('field') ?? '',
    sort: (SORT_KEYS as ReadonlyArray<string>).includes(sort ?? '') ? (sort as SortKey) : 'name',
    desc: q.get('desc') === '1',
    response: q.get('response'),
  };
}

export function writeViewState(state: ViewState): string {
  const q = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (key === 'sort' && value === 'name') continue;
    if (key === 'desc') {
      if (value) q.set('desc', '1');
      continue;
    }
    if (typeof value === 'string' && value !== '') q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Moving down or up the drill-down clears what lies below the level chosen. */
export function drillTo(state: ViewState, to: { province?: string | null; postOffice?: string | null; enumerator?: string | null }): ViewState {
  const province = to.province !== undefined ? to.province : state.province;
  const postOffice = to.province !== undefined ? (to.postOffice ?? null) : to.postOffice !== undefined ? to.postOffice : state.postOffice;
  const enumerator = to.province !== undefined || to.postOffice !== undefined ? (to.enumerator ?? null) : to.enumerator !== undefined ? to.enumerator : state.enumerator;
  return { ...state, province, postOffice, enumerator, response: null };
}
