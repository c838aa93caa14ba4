import { InvalidRequest, InvalidScope } from './oauth-errors.js';
import { grantedScope, parseScope } from './scopes.js';

describe('scopes', () => {
  it('splits on single spaces and drops repeats', () => {
    expect(parseScope('read write read')).toEqual(['read', 'write']);
  });

  it.each(['', 'a  b', ' a', 'a ', 'quote"d', 'back\\slash', 'tab\tbed', 'é'])('refuses the malformed scope %j', (scope) => {
    expect(() => parseScope(scope)).toThrow(InvalidRequest);
  });

  it('grants everything allowed when nothing is asked', () => {
    expect(grantedScope(undefined, ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('grants a subset as asked', () => {
    expect(grantedScope('b', ['a', 'b'])).toEqual(['b']);
  });

  it('refuses any scope beyond what is allowed, naming it', () => {
    expect(() => grantedScope('a c', ['a', 'b'])).toThrow(new InvalidScope('scope not allowed: c'));
  });
});
