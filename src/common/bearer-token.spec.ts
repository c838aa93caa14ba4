import { bearerToken } from './bearer-token.js';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc.def.ghi  ', 'abc.def.ghi'],
    ['abc.def.ghi', 'abc.def.ghi'],
    ['Bearer', undefined],
    ['Bearer   ', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
