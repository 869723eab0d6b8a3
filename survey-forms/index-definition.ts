import { createAjv, describeAjvErrors, type CataloguedProblem } from './ajv';
import type { CompiledForm } from './form';
import type { AnswerCode, LocalizedText } from './form-definition.schema';
import {
  IndexDefinition,
  INDICATOR_LEVELS,
  OVERALL_INDICATOR,
  type Indicator,
  type IndicatorLevel,
  type Scoring,
} from './index-definition.schema';

/** An indicator ready for scoring: children resolved to positions, weights to numbers. */
export interface CompiledIndicator {
  /** Position in `CompiledIndexDefinition.indicators` (children always come before parents). */
  index: number;
  id: string;
  level: IndicatorLevel;
  label: LocalizedText;
  /** The parent's id; null for the overall index. */
  parent: string | null;
  /** Criteria: positions of their items in `CompiledIndexDefinition.items`. */
  items: ReadonlyArray<number>;
  /** Composites: positions of their children in `CompiledIndexDefinition.indicators`. */
  children: ReadonlyArray<number>;
  /** Composites: one weight per child (1 each for a plain mean). */
  weights: ReadonlyArray<number>;
}

/** A scored item: a scale item of the questionnaire and how its answers count. */
export interface ScoredItem {
  id: string;
  /** Answers that enter the denominator, as stored (number or string). */
  validCodes: ReadonlyArray<AnswerCode>;
  satisfiedCodes: ReadonlyArray<AnswerCode>;
  /** Position of its criterion in `CompiledIndexDefinition.indicators`. */
  criterion: number;
}

/** An index definition, checked and ready to score tallies. */
export interface CompiledIndexDefinition {
  definition: IndexDefinition;
  /** Criteria first, then elements, components and the overall index: children before parents. */
  indicators: ReadonlyArray<CompiledIndicator>;
  indicatorById: ReadonlyMap<string, CompiledIndicator>;
  items: ReadonlyArray<ScoredItem>;
  minimumN: number;
  /**
   * Whether it can score answers of this questionnaire version: a version it names, or a revision of
   * one (the same questionnaire presented anew, see `revisionOf`).
   */
  appliesTo(formId: string, version: string): boolean;
}

export class IndexDefinitionError extends Error {
  override readonly name = 'IndexDefinitionError';
  constructor(
    readonly source: string,
    readonly problems: CataloguedProblem[],
  ) {
    super(`index definition ${source} is invalid:\n` + problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n'));
  }
}

const checkShape = createAjv().compile<IndexDefinition>(IndexDefinition);
const LEVEL_RANK: Record<IndicatorLevel, number> = Object.fromEntries(INDICATOR_LEVELS.map((l, i) => [l, i])) as Record<IndicatorLevel, number>;

/**
 * Checks an index definition against itself and against the questionnaire versions it applies to,
 * and compiles it. Every problem is reported with its path, not only the first.
 *
 * `findForm` looks up an installed questionnaire version; a definition naming a version that is not
 * installed is refused, since nothing could check its items.
 */
export function compileIndexDefinition(
  raw: unknown,
  findForm: (formId: string, version: string) => CompiledForm | undefined,
  source = 'index definition',
): CompiledIndexDefinition {
  if (!checkShape(raw)) throw new IndexDefinitionError(source, describeAjvErrors(checkShape.errors));
  const definition = raw;
  const problems: CataloguedProblem[] = [];

  const forms: CompiledForm[] = [];
  definition.appliesTo.forEach((target, t) => {
    target.versions.forEach((version, v) => {
      const form = findForm(target.formId, version);
      if (form) forms.push(form);
      else {
        problems.push({
          path: `/appliesTo/${t}/versions/${v}`,
          code: 'unknown_form',
          message: `questionnaire ${target.formId} version ${version} is not installed`,
        });
      }
    });
  });
  checkScoring(definition.scoring, '/scoring', problems);

  const byId = new Map<string, { indicator: Indicator; at: number }>();
  definition.indicators.forEach((indicator, i) => {
    if (byId.has(indicator.id)) {
      problems.push({ path: `/indicators/${i}/id`, code: 'repeated', message: `indicator id ${indicator.id} is used twice` });
    } else byId.set(indicator.id, { indicator, at: i });
  });

  const overall = definition.indicators.filter((ind) => ind.level === 'overall');
  if (overall.length !== 1) {
    problems.push({ path: '/indicators', code: 'overall', message: `must have exactly one indicator of level overall (found ${overall.length})` });
  }
  definition.indicators.forEach((indicator, i) => {
    if ((indicator.level === 'overall') !== (indicator.id === OVERALL_INDICATOR)) {
      problems.push({
        path: `/indicators/${i}/id`,
        code: 'overall',
        message: `the overall index, and only it, has the id "${OVERALL_INDICATOR}"`,
      });
    }
  });

  // Each indicator below the overall one has exactly one parent on a higher level: the indicators form a tree.
  const parentOf = new Map<string, string>();
  definition.indicators.forEach((indicator, i) => {
    if (indicator.level === 'criterion') {
      if (indicator.scoring) checkScoring(indicator.scoring, `/indicators/${i}/scoring`, problems);
      return;
    }
    indicator.children.forEach((childId, c) => {
      const at = `/indicators/${i}/children/${c}`;
      const child = byId.get(childId)?.indicator;
      if (!child) {
        problems.push({ path: at, code: 'unknown_indicator', message: `names no indicator (${childId})` });
        return;
      }
      if (LEVEL_RANK[child.level] >= LEVEL_RANK[indicator.level]) {
        problems.push({
          path: at,
          code: 'wrong_level',
          message: `${childId} is ${withArticle(child.level)}; ${withArticle(indicator.level)} combines lower levels only`,
        });
      }
      const earlier = parentOf.get(childId);
      if (earlier !== undefined) {
        problems.push({ path: at, code: 'repeated', message: `${childId} already belongs to ${earlier}` });
      } else parentOf.set(childId, indicator.id);
    });
    if (indicator.combine.method === 'weighted') {
      const weighted = Object.keys(indicator.combine.weights).sort();
      const children = [...indicator.children].sort();
      for (const key of weighted) {
        if (!children.includes(key)) {
          problems.push({ path: `/indicators/${i}/combine/weights/${key}`, code: 'unknown_indicator', message: `${key} is not a child of ${indicator.id}` });
        }
      }
      for (const child of children) {
        if (!weighted.includes(child)) {
          problems.push({ path: `/indicators/${i}/combine/weights`, code: 'required', message: `needs a weight for child ${child}` });
        }
      }
    }
  });
  definition.indicators.forEach((indicator, i) => {
    if (indicator.level !== 'overall' && !parentOf.has(indicator.id)) {
      problems.push({ path: `/indicators/${i}`, code: 'orphan', message: `${indicator.id} is not a child of any indicator, so it counts nowhere` });
    }
  });

  // Criterion items: scale items of every questionnaire version, each in one criterion only, scored on codes its scale has.
  const criterionOfItem = new Map<string, string>();
  definition.indicators.forEach((indicator, i) => {
    if (indicator.level !== 'criterion') return;
    const scoring = indicator.scoring ?? definition.scoring;
    indicator.items.forEach((itemId, k) => {
      const at = `/indicators/${i}/items/${k}`;
      const earlier = criterionOfItem.get(itemId);
      if (earlier !== undefined) problems.push({ path: at, code: 'repeated', message: `item ${itemId} already counts in criterion ${earlier}` });
      criterionOfItem.set(itemId, indicator.id);
      for (const form of forms) {
        const label = `${form.definition.formId} version ${form.definition.version}`;
        const formItem = form.itemById.get(itemId);
        if (!formItem) {
          problems.push({ path: at, code: 'unknown_item', message: `${itemId} is not an item of ${label}` });
          continue;
        }
        const scale = formItem.scale;
        if (!scale) {
          problems.push({ path: at, code: 'not_a_scale', message: `${itemId} is not a scale item in ${label}` });
          continue;
        }
        const options = scale.options.map((o) => o.code);
        const missing = scoring.validCodes.filter((code) => !options.includes(code));
        if (missing.length > 0) {
          problems.push({
            path: at,
            code: 'unknown_code',
            message: `valid codes ${missing.map(String).join(', ')} are not options of ${itemId}'s scale in ${label}` +
              (scale.notApplicable && missing.includes(scale.notApplicable.code) ? ' ("not applicable" never counts)' : ''),
          });
        }
      }
    });
  });

  if (problems.length > 0) throw new IndexDefinitionError(source, problems);
  return build(definition, parentOf, findForm);
}

/** "an element", "a criterion". */
function withArticle(level: IndicatorLevel): string {
  return `${/^[aeiou]/.test(level) ? 'an' : 'a'} ${level}`;
}

function checkScoring(scoring: Scoring, at: string, problems: CataloguedProblem[]): void {
  const notValid = scoring.satisfiedCodes.filter((code) => !scoring.validCodes.includes(code));
  if (notValid.length > 0) {
    problems.push({
      path: `${at}/satisfiedCodes`,
      code: 'not_valid',
      message: `codes ${notValid.map(String).join(', ')} count as satisfied but are not valid codes`,
    });
  }
}

/** Orders indicators bottom-up and resolves ids to positions. */
function build(
  definition: IndexDefinition,
  parentOf: ReadonlyMap<string, string>,
  findForm: (formId: string, version: string) => CompiledForm | undefined,
): CompiledIndexDefinition {
  const ordered = INDICATOR_LEVELS.flatMap((level) => definition.indicators.filter((ind) => ind.level === level));
  const position = new Map(ordered.map((ind, i) => [ind.id, i]));
  const items: ScoredItem[] = [];
  const indicators: CompiledIndicator[] = ordered.map((indicator, index) => {
    const base = { index, id: indicator.id, level: indicator.level, label: indicator.label, parent: parentOf.get(indicator.id) ?? null };
    if (indicator.level === 'criterion') {
      const scoring = indicator.scoring ?? definition.scoring;
      const itemPositions = indicator.items.map((id) => {
        items.push({ id, validCodes: scoring.validCodes, satisfiedCodes: scoring.satisfiedCodes, criterion: index });
        return items.length - 1;
      });
      return { ...base, items: itemPositions, children: [], weights: [] };
    }
    const combine = indicator.combine;
    return {
      ...base,
      items: [],
      children: indicator.children.map((id) => position.get(id) ?? -1),
      weights: indicator.children.map((id) => (combine.method === 'weighted' ? (combine.weights[id] ?? 0) : 1)),
    };
  });
  const targets = new Set(definition.appliesTo.flatMap((t) => t.versions.map((v) => `${t.formId}@${v}`)));
  return {
    definition,
    indicators,
    indicatorById: new Map(indicators.map((ind) => [ind.id, ind])),
    items,
    minimumN: definition.reliability.minimumN,
    appliesTo: (formId, version) => {
      if (targets.has(`${formId}@${version}`)) return true;
      const revisionOf = findForm(formId, version)?.definition.revisionOf;
      return revisionOf !== undefined && targets.has(`${formId}@${revisionOf}`);
    },
  };
}
