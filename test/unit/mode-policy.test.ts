import { modeProblems } from '../../server/modules/responses/mode-policy';
import { serialFor } from '../../survey-forms/serial';

const round = { id: 'sipas-2024', modes: ['capi', 'papi'] as Array<'capi' | 'papi' | 'cawi'> };
const codes = (item: Parameters<typeof modeProblems>[1], r = round) => modeProblems(r, item).map((p) => `${p.path} ${p.code}`);

describe('which modes and serials a round takes', () => {
  test.each([
    ['no mode is an interview, allowed', {}, []],
    ['capi allowed', { mode: 'capi' as const }, []],
    ['cawi not allowed', { mode: 'cawi' as const }, ['/mode mode_not_allowed']],
    ['papi without serial', { mode: 'papi' as const, sampleUnitId: 'HN-1' }, ['/serial required']],
    ['papi with its serial', { mode: 'papi' as const, sampleUnitId: 'HN-1', serial: serialFor('sipas-2024', 'HN-1') }, []],
    ['papi with another unit’s serial', { mode: 'papi' as const, sampleUnitId: 'HN-1', serial: serialFor('sipas-2024', 'HN-2') }, ['/serial wrong_serial']],
    ['papi with another round’s serial', { mode: 'papi' as const, sampleUnitId: 'HN-1', serial: serialFor('sipas-2023', 'HN-1') }, ['/serial wrong_serial']],
    ['papi with a mistyped serial', { mode: 'papi' as const, sampleUnitId: 'HN-1', serial: `${serialFor('sipas-2024', 'HN-1').slice(0, -2)}xx` }, ['/serial wrong_format']],
  ])('%s', (_name, item, expected) => {
    expect(codes(item)).toEqual(expected);
  });

  test('a round of interviews only refuses a keyed form', () => {
    expect(codes({ mode: 'papi', sampleUnitId: 'HN-1', serial: serialFor('sipas-2024', 'HN-1') }, { id: 'sipas-2024', modes: ['capi'] })).toEqual(['/mode mode_not_allowed']);
  });

  test('a wrong check digit is named as such', () => {
    const serial = serialFor('sipas-2024', 'HN-1');
    const wrong = serial.slice(0, -1) + String((Number(serial.slice(-1)) + 1) % 10);
    expect(codes({ mode: 'papi', sampleUnitId: 'HN-1', serial: wrong })).toEqual(['/serial wrong_check_digit']);
  });
});
