import path from 'node:path';
import fc from 'fast-check';
import { configure } from 'safe-stable-stringify';
import { computeRoundFigures, dimensionCodesOf } from '../../survey-forms/index-engine/round-figures';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { mergeCells, tallyResponses, type TalliedResponse, type TallyCell } from '../../survey-forms/tally';
import { tinyMethod } from './tiny-method';

const canonical = configure({ deterministic: true });
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const method = tinyMethod({ e1: 3, e2: 1 });

/** Canonical text of a round's figures: the byte-level result analysts would publish. */
function figuresText(cells: TallyCell[]): string {
  return JSON.stringify(
    computeRoundFigures({
      definition: method.definition,
      cells,
      edition: 63,
      provinces,
      unitTypesOn: '2024-08-01',
      dimensionCodes: dimensionCodesOf(method.form),
    }),
  );
}

const scaleAnswer = fc.constantFrom(1, 2, 3, 4, 5, 9);
/** Any valid response of the tiny questionnaire, in a few provinces (02 and 08 merge on the 34 units), some weighted. */
const response: fc.Arbitrary<TalliedResponse> = fc
  .record({
    provinceCode: fc.constantFrom('01', '02', '08', '79', '31'),
    kind: fc.constantFrom(1, 2),
    level: fc.constantFrom(1, 2, 3),
    field: fc.constantFrom(1, 2),
    q1: scaleAnswer,
    q2: scaleAnswer,
    q3: scaleAnswer,
    gave: fc.constantFrom(1, 2),
    q4: scaleAnswer,
    // Weights on a binary grid, as design weights usually are after rounding; absent means unweighted.
    weight: fc.option(fc.constantFrom(0.5, 1, 1.5, 2, 4), { nil: undefined }),
  })
  .map(({ provinceCode, weight, gave, q4, ...answers }) => ({
    provinceCode,
    answers: { ...answers, gave, ...(gave === 1 ? { q4 } : {}) },
    ...(weight !== undefined ? { weight } : {}),
  }));

describe('properties of the index engine', () => {
  test('when the responses of a round come in any order, then the figures are byte-identical', () => {
    fc.assert(
      fc.property(
        fc.array(response, { maxLength: 60 }).chain((responses) =>
          fc.tuple(fc.constant(responses), fc.shuffledSubarray(responses, { minLength: responses.length, maxLength: responses.length })),
        ),
        ([responses, shuffled]) => {
          const { form, definition } = method;
          expect(figuresText(tallyResponses(form, definition, shuffled))).toBe(figuresText(tallyResponses(form, definition, responses)));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('when a round arrives in two batches tallied apart, then adding their tallies gives the figures of one batch', () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 60 }), fc.nat(), (responses, at) => {
        const { form, definition } = method;
        const cut = responses.length === 0 ? 0 : at % (responses.length + 1);
        const first = tallyResponses(form, definition, responses.slice(0, cut));
        const second = tallyResponses(form, definition, responses.slice(cut));
        const whole = tallyResponses(form, definition, responses);
        // Same counts and sums; keys may come in another order, so compare canonically (keys sorted).
        expect(canonical(mergeCells([...first, ...second]))).toBe(canonical(whole));
        expect(figuresText(mergeCells([...first, ...second]))).toBe(figuresText(whole));
      }),
      { numRuns: 60 },
    );
  });

  test('when figures are computed twice from the same tallies, then the output is the same bytes', () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 40 }), (responses) => {
        const cells = tallyResponses(method.form, method.definition, responses);
        expect(figuresText(cells)).toBe(figuresText(JSON.parse(JSON.stringify(cells)) as TallyCell[]));
      }),
      { numRuns: 30 },
    );
  });
});
