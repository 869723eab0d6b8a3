/**
 * Words of the browser apps. Each app keeps its own message table; this is how every one of them
 * fills a message (the language switch and its keeping are in use-language.ts). Pure: unit tests load it.
 */

/** Languages of the apps: Vietnamese first, English for whoever needs it. */
export type Lang = 'vi' | 'en';

/** Values for a message's `{name}` placeholders. */
export type Vars = Readonly<Record<string, string | number>>;

/** An app's messages in one language. */
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** Fills `{name}` placeholders; one without a value stays as it is, so the gap shows instead of hiding. */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(vars[name] ?? `{${name}}`));
}

/** An app's message table as `translate(lang)` → `t(key, vars)`. */
export function translator<K extends string>(table: Readonly<Record<K, Readonly<Record<Lang, string>>>>): (lang: Lang) => Translate<K> {
  return (lang) => (key, vars) => fill(table[key][lang], vars);
}

/** The language the switch goes to. */
export const otherLang = (lang: Lang): Lang => (lang === 'vi' ? 'en' : 'vi');
