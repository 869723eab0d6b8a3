import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { minDurationSecondsFor } from '../../survey-forms/modes';
import { surveyFormsDir } from '../../survey-forms/paths';
import { qualityRulesFor, runQualityRules, type QualityFacts } from '../../survey-forms/quality-rules';
import { qualityRulesByMode } from '../../server/modules/exports/export.service';

const at = (minute: number, second = 0): Date => new Date(Date.UTC(2024, 8, 1, 8, minute, second));
const forms = loadFormCatalogue(surveyFormsDir());
const revision = forms.get('sipas-2017', '1.1')!.definition;

/** A 90-second form with everything else in order. */
function facts(mode: 'capi' | 'papi' | 'cawi', overrides: Partial<QualityFacts> = {}): QualityFacts {
  return {
    responseId: 'r1',
    mode,
    startedAt: at(0),
    endedAt: at(1, 30),
    minDurationSeconds: minDurationSecondsFor(revision, mode),
    satisfactionAnswers: { c01_s: 4, c02_s: 5, c03_s: 4, c04_s: 3, c05_s: 4, c06_s: 5, c07_s: 4, c08_s: 4 },
    sameSampleUnit: [],
    samePhone: [],
    enumeratorInterviews: [],
    ...overrides,
  };
}

describe('quality rules by mode', () => {
  test('a 90-second interview is too fast; the same 90 seconds of keying a paper form is not; online it is judged on its own threshold', () => {
    expect(runQualityRules(facts('capi')).map((f) => f.rule)).toEqual(['too-fast']);
    expect(runQualityRules(facts('papi'))).toEqual([]);
    expect(runQualityRules(facts('cawi')).map((f) => f.evidence)).toEqual([{ durationSeconds: 90, minimumSeconds: 120 }]);
    expect(runQualityRules(facts('cawi', { endedAt: at(2) }))).toEqual([]);
  });

  test('straight-lining and duplicate respondent apply to every mode', () => {
    for (const mode of ['capi', 'papi', 'cawi'] as const) {
      const flags = runQualityRules(facts(mode, { endedAt: at(30), satisfactionAnswers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}_s`, 5])), sameSampleUnit: ['r0'] }));
      expect(flags.map((f) => f.rule)).toEqual(['straight-lining', 'duplicate-respondent']);
    }
  });

  test('overlapping sessions matter for interviews only; identical answers to another keyed form only for paper', () => {
    const overlapping = { endedAt: at(30), enumeratorInterviews: [{ responseId: 'r2', startedAt: at(10), endedAt: at(40) }], identicalKeyedForms: ['r3'] };
    expect(runQualityRules(facts('capi', overlapping)).map((f) => f.rule)).toEqual(['overlapping-interviews']);
    expect(runQualityRules(facts('papi', overlapping)).map((f) => f.rule)).toEqual(['identical-keyed-form']);
    expect(runQualityRules(facts('papi', overlapping))[0]!.evidence).toEqual({ otherResponseIds: ['r3'] });
  });

  test('a response with no mode is an interview, judged as before', () => {
    const { mode: _mode, ...old } = facts('capi');
    expect(runQualityRules({ ...old, minDurationSeconds: 240 }).map((f) => f.rule)).toEqual(['too-fast']);
  });

  test('the metadata sheet names the rules run for each mode of the round, too-fast with its threshold', () => {
    expect(qualityRulesFor('papi', undefined)).not.toContain('too-fast');
    expect(qualityRulesByMode(['capi', 'papi', 'cawi'], revision)).toEqual([
      ['Kiểm tra chất lượng, capi / Quality rules run, capi', 'too-fast (< 240 s), straight-lining, duplicate-respondent, overlapping-interviews, out-of-area'],
      ['Kiểm tra chất lượng, papi / Quality rules run, papi', 'straight-lining, duplicate-respondent, out-of-area, identical-keyed-form'],
      ['Kiểm tra chất lượng, cawi / Quality rules run, cawi', 'too-fast (< 120 s), straight-lining, duplicate-respondent, out-of-area'],
    ]);
  });
});
