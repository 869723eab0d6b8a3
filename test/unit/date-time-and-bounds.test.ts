import { firstTooDeep } from '../../server/http/json-bounds';
import { createAjv } from '../../survey-forms/ajv';
import { parseDateTime } from '../../survey-forms/date-time';

const checkDateTime = createAjv().compile({ type: 'string', format: 'date-time' });

describe('date-times the API accepts (survey-forms/date-time.ts)', () => {
  test.each([
    ['2024-08-01T02:30:00Z', Date.UTC(2024, 7, 1, 2, 30)],
    ['2024-08-01T09:30:00+07:00', Date.UTC(2024, 7, 1, 2, 30)],
    ['2024-08-01T02:30:00.250Z', Date.UTC(2024, 7, 1, 2, 30, 0, 250)],
    ['2024-08-01T02:30:00.123456789z', Date.UTC(2024, 7, 1, 2, 30, 0, 123)],
    ['2024-02-29T00:00:00-05:30', Date.UTC(2024, 1, 29, 5, 30)],
  ])('when %s is given, then it is the instant JavaScript also reads', (text, instant) => {
    expect(parseDateTime(text)).toBe(instant);
    expect(new Date(text).getTime()).toBe(instant);
  });

  test.each([
    ['2024-08-01T23:59:60Z', 'a leap second: JavaScript reads no date'],
    ['2024-08-01T01:00:00.5+01', 'an offset without minutes'],
    ['2024-02-30T00:00:00Z', '30 February: JavaScript rolls it into March'],
    ['2023-02-29T00:00:00Z', '29 February of a common year'],
    ['2024-08-01T24:00:00Z', 'hour 24'],
    ['2024-08-01T01:00:00+24:00', 'an offset of 24 hours'],
    ['2024-08-01T01:00:00', 'no offset: local time of whichever machine'],
    ['2024-08-01 01:00:00Z', 'a space for T'],
    ['+002024-08-01T01:00:00Z', 'an expanded year'],
  ])('when %s is given (%s), then it is refused, by the schema too', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
    expect(checkDateTime(text)).toBe(false);
  });
});

describe('depth of free-form JSON (server/http/json-bounds.ts)', () => {
  test('when a value nests within the bound, then nothing is too deep; one level more names the pointer', () => {
    expect(firstTooDeep({ a: [{ b: 1 }] }, 3)).toBeUndefined();
    expect(firstTooDeep({ a: [{ b: {} }] }, 3)).toBe('/a/0/b');
    expect(firstTooDeep({ 'x/y': { '~': [] } }, 2)).toBe('/x~1y/~0');
    expect(firstTooDeep('text', 0)).toBeUndefined();
  });

  test('when a value is nested 200,000 deep, then it is measured without recursion', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(firstTooDeep(deep, 32)).toBe(`/0`.repeat(32));
  });
});
