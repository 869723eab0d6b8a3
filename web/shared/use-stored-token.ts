import { useState } from 'preact/hooks';

/**
 * A dashboard's session token, kept in sessionStorage under `storageKey` (so a reload stays logged in
 * and closing the tab logs out). Setting null logs out.
 */
export function useStoredToken(storageKey: string): [string | null, (token: string | null) => void] {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(storageKey));
  const keep = (next: string | null) => {
    if (next) sessionStorage.setItem(storageKey, next);
    else sessionStorage.removeItem(storageKey);
    setToken(next);
  };
  return [token, keep];
}
