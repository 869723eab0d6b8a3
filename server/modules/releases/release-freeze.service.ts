/**
 * Computes what a release freezes: the round's figures from a given set of responses, with the
 * engine and the round's method as the aggregates module loads them, compared with an earlier
 * release. Preparing a release reads the responses counted now; the reproducibility check reads the
 * very responses a release counted, whatever was decided since.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FigureRow } from '../../../survey-forms/index-engine/round-figures';
import { indexDefinitionsDir, projectRoot, surveyFormsDir } from '../../../survey-forms/paths';
import { freezeTables, sha256, tableKey, type ReleaseTable } from '../../../survey-forms/release/release-tables';
import { createTallier, type TallyCell } from '../../../survey-forms/tally';
import { figuresOf, type AggregationDeps, type RoundMethod } from '../aggregates/aggregation.service';
import type { ReleasedResponse } from './release-responses.repository';

/** The round's figures from one set of responses, frozen, and which responses they were. */
export interface FrozenFigures {
  tables: ReleaseTable[];
  /** Province code → counted response ids, sorted. */
  members: Map<string, string[]>;
  weights: Array<[string, number | null]>;
  weightedResponses: number;
  editions: Array<63 | 34>;
  unitTypesOn: string;
}

/**
 * Tallies the responses `responsesOf` gives for every province of the round's edition, computes
 * every figure, and freezes them compared with `previous` (an earlier release's tables).
 */
export async function freezeFigures(
  deps: Pick<AggregationDeps, 'provinces'>,
  method: RoundMethod,
  responsesOf: (provinceCode: string) => AsyncIterable<ReleasedResponse>,
  previous: ReadonlyArray<ReleaseTable> | undefined,
): Promise<FrozenFigures> {
  const { round, form, definition } = method;
  const cells: TallyCell[] = [];
  const members = new Map<string, string[]>();
  const weights: Array<[string, number | null]> = [];
  let weightedResponses = 0;
  for (const { code } of deps.provinces.provinces(round.boundaryEdition)) {
    const tallier = createTallier(form, definition);
    const ids: string[] = [];
    for await (const response of responsesOf(code)) {
      tallier.add(response);
      ids.push(response._id);
      weights.push([response._id, response.weight ?? null]);
      if (typeof response.weight === 'number') weightedResponses += 1;
    }
    ids.sort();
    if (ids.length > 0) members.set(code, ids);
    cells.push(...tallier.cells());
  }
  const figures = figuresOf(deps, method, cells);
  const previousByKey = new Map<string, ReadonlyArray<FigureRow>>((previous ?? []).map((t) => [tableKey(t), t.rows]));
  return {
    tables: freezeTables(figures, previous ? (key) => previousByKey.get(key) : undefined),
    members,
    weights,
    weightedResponses,
    editions: figures.editions.map((e) => e.edition),
    unitTypesOn: figures.unitTypesOn,
  };
}

const fileDigests = new Map<string, string | null>();

/** SHA-256 of a questionnaire or index definition file as installed (null if it cannot be read). */
export function methodFileDigest(kind: 'form' | 'definition', id: string, version: string): string | null {
  const file = path.join(kind === 'form' ? surveyFormsDir() : indexDefinitionsDir(), id, `${version}.json`);
  if (!fileDigests.has(file)) {
    try {
      fileDigests.set(file, sha256(readFileSync(file)));
    } catch {
      fileDigests.set(file, null);
    }
  }
  return fileDigests.get(file) ?? null;
}

let software: { name: string; version: string; node: string } | undefined;

/** The platform's name and version as package.json gives them, and the Node.js version computing. */
export function softwareVersion(): { name: string; version: string; node: string } {
  if (!software) {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
    software = { name: pkg.name, version: pkg.version, node: process.version };
  }
  return software;
}
