import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body.js';

describe('nestsDeeperThan', () => {
  const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

  it.each([
    ['a flat object', '{"domain":"a","username":"b"}', 1, false],
    ['two levels', '{"corsOrigins":["https://a"]}', 2, false],
    ['two levels, limit 1', '{"corsOrigins":["https://a"]}', 1, true],
    ['brackets inside strings', '{"password":"[[[[{{{{"}', 1, false],
    ['an escaped quote inside a string', '{"p":"a\\"[[[["}', 1, false],
    ['an escaped backslash ending a string', '{"p":"a\\\\","q":[[1]]}', 2, true],
    ['a scalar', '"hello"', 0, false],
  ])('%s', (_case, text, limit, deeper) => {
    expect(nestsDeeperThan(text, limit)).toBe(deeper);
  });

  it('finds deep nesting in any field, of arrays or objects, at the limit and past it', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(`{"username":${nested(5000)}}`, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan('{"a":'.repeat(100) + '1' + '}'.repeat(100), MAX_JSON_DEPTH)).toBe(true);
  });
});
