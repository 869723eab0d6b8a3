/** Pure: unit tests load it. */

/** Release numbers in order: by year, then by the count within the year (`2024.2` before `2024.10`). */
export function compareReleaseIds(a: string, b: string): number {
  const [ya = 0, na = 0] = a.split('.').map(Number);
  const [yb = 0, nb = 0] = b.split('.').map(Number);
  return ya - yb || na - nb;
}

/**
 * Releases as their versions: each first release followed by the corrections of it (`2024.1 → 2024.2`),
 * the newest chain first. A release corrected twice over gives one chain per branch.
 */
export function versionChains(releases: ReadonlyArray<{ releaseId: string; corrects: string | null }>): string[][] {
  const ids = new Set(releases.map((r) => r.releaseId));
  const next = new Map<string, string[]>();
  for (const r of releases) if (r.corrects && ids.has(r.corrects)) next.set(r.corrects, [...(next.get(r.corrects) ?? []), r.releaseId]);
  const chains: string[][] = [];
  const walk = (id: string, chain: string[]): void => {
    const after = [...(next.get(id) ?? [])].sort(compareReleaseIds);
    if (after.length === 0) chains.push([...chain, id]);
    for (const n of after) walk(n, [...chain, id]);
  };
  const roots = releases.filter((r) => !r.corrects || !ids.has(r.corrects)).map((r) => r.releaseId);
  for (const root of roots.sort(compareReleaseIds).reverse()) walk(root, []);
  return chains;
}
