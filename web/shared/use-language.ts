import { useEffect, useState } from 'preact/hooks';
import { otherLang, type Lang } from './i18n';

/** The page follows the language: `<html lang>` (for screen readers and hyphenation) and its title. */
export function usePageLanguage(lang: Lang, title: string): void {
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = title;
  }, [lang, title]);
}

/**
 * A dashboard's language and its switch. The choice is kept in localStorage under `storageKey`
 * (Vietnamese until someone switches), and the page follows it.
 */
export function useStoredLanguage(storageKey: string, titleOf: (lang: Lang) => string): [Lang, () => void] {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(storageKey) === 'en' ? 'en' : 'vi'));
  useEffect(() => localStorage.setItem(storageKey, lang), [lang]);
  usePageLanguage(lang, titleOf(lang));
  return [lang, () => setLang(otherLang)];
}
