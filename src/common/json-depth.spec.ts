import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  it('measures nesting of arrays and objects without recursion', () => {
    expect(jsonDepthExceeds({ a: 1, b: [1, 2, { c: 3 }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: 1, b: [1, 2, { c: 3 }] }, 2)).toBe(true);
    expect(jsonDepthExceeds('x', 0)).toBe(false);
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
  });
});
