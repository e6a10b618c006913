import { describe, expect, it } from 'vitest';
import { isoString } from '../src/domain/time.ts';

describe('isoString', () => {
  it('is toISOString for every kind of instant', () => {
    const edges = [
      0,
      Date.UTC(1000, 0, 1),
      Date.UTC(999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      Date.UTC(-1, 0, 1),
      Date.UTC(2024, 1, 29, 9, 5, 7, 9),
      Date.UTC(2026, 10, 28, 18, 0, 0, 10),
      Date.UTC(2026, 10, 28, 18, 0, 0, 99),
      Date.UTC(2026, 10, 28, 18, 0, 0, 100),
      8.64e15,
      -8.64e15,
    ];
    // A fixed pseudo-random walk over years 1000–9999, so a failure repeats.
    let seed = 20261129;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const spread = Array.from({ length: 20_000 }, () => Date.UTC(1000, 0, 1) + Math.floor(random() * (Date.UTC(10000, 0, 1) - Date.UTC(1000, 0, 1))));
    for (const time of [...edges, ...spread]) {
      const date = new Date(time);
      expect(isoString(date), String(time)).toBe(date.toISOString());
    }
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
