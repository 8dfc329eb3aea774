import { median, spread } from './stats';

describe('median', () => {
  it('When the count is odd or even, then it is the middle value or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('When values are NaN or none are left, then NaN is ignored and an empty list gives NaN', () => {
    expect(median([NaN, 5, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });
});

describe('spread', () => {
  it('When runs differ, then the range relative to the median is reported', () => {
    expect(spread([90, 100, 110])).toEqual({ median: 100, min: 90, max: 110, relative: 0.2 });
  });

  it('When nothing was measured, then every field is NaN', () => {
    const empty = spread([NaN]);
    expect([empty.median, empty.min, empty.max, empty.relative].every(Number.isNaN)).toBe(true);
  });
});
