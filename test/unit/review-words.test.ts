import fs from 'node:fs';
import path from 'node:path';
import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import { answerLines, flagEvidenceWords, paradataTimeline } from '../../survey-forms/review-words';
import { readViewState, writeViewState, drillTo } from '../../web/dashboards/supervisor/view-state';

const form = JSON.parse(fs.readFileSync(path.join(__dirname, '../../survey-forms/sipas-2017/1.json'), 'utf8')) as FormDefinition;

describe('a response in words, for the reviewer', () => {
  test('when answers are shown, then each has its question and its answer label in Vietnamese, in questionnaire order', () => {
    const lines = answerLines(form, { c01_s: 4, serving_level: 2, c01_p: 9 }, 'vi');
    expect(lines.map((l) => l.itemId)).toEqual(['serving_level', 'c01_p', 'c01_s']);
    const satisfaction = lines.find((l) => l.itemId === 'c01_s');
    expect(satisfaction).toMatchObject({ answer: 'Hài lòng', code: '4' });
    expect(satisfaction?.question).toMatch(/^Mức độ hài lòng/);
    expect(lines.find((l) => l.itemId === 'c01_p')?.answer).toBe('Không áp dụng');
  });

  test('when flags are shown, then their evidence reads as a sentence', () => {
    expect(flagEvidenceWords('too-fast', { durationSeconds: 90, minimumSeconds: 240 }, 'vi')).toBe('Phỏng vấn kéo dài 1:30 phút, ngắn hơn mức tối thiểu 4:00 phút.');
    expect(flagEvidenceWords('straight-lining', { value: 5, items: 22 }, 'en')).toBe('All 22 scale questions got the same answer (code 5).');
    expect(flagEvidenceWords('duplicate-respondent', { by: 'phone', otherResponseIds: ['x'] }, 'vi')).toBe('Có 1 phiếu khác với cùng số điện thoại.');
  });

  test('when paradata is shown, then it reads as a timeline from start through the sections to the end', () => {
    const steps = paradataTimeline(form, { startedAt: '2024-09-01T01:00:00Z', endedAt: '2024-09-01T01:20:00Z', sectionSeconds: { E1: 120 } }, 'en');
    expect(steps.map((s) => [s.label, s.seconds])).toEqual([
      ['Interview started', null],
      ['Access to public administrative services', 120],
      ['Interview ended', null],
    ]);
  });
});

describe('the supervisor dashboard’s view in the URL', () => {
  test('when a view is written and read back, then it is the same view; drilling up clears what lies below', () => {
    const view = readViewState('?round=r1&province=01&postOffice=HN-A&enumerator=e1&sort=pace&desc=1&level=2');
    expect(readViewState(writeViewState(view))).toEqual(view);
    expect(drillTo(view, { province: '79' })).toMatchObject({ province: '79', postOffice: null, enumerator: null });
    expect(drillTo(view, { postOffice: 'HN-B' })).toMatchObject({ province: '01', postOffice: 'HN-B', enumerator: null });
    expect(readViewState('?sort=bogus').sort).toBe('name');
  });
});
