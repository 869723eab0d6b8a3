import type { Lang } from '../../shared/i18n';

/** What every console page is given (its own file, so pages never import the frame that imports them). */
export interface PageProps {
  lang: Lang;
  token: string;
  /** Runs a call; a lost session logs out, any other failure is thrown on. */
  guard: <T>(call: Promise<T>) => Promise<T>;
}
