import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id.js';

const withHeader = (value?: string | string[]) => ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it.each(['3f2c9a7e-1b7d-4c1e-9d55-0e2a4f6b8c10', '4bf92f3577b34da6a3ce929d0e0e4736', 'req_42', 'a'])(
    'keeps a sane incoming id (%s)',
    (id) => {
      expect(requestIdOf(withHeader(id))).toBe(id);
    },
  );

  it.each([[undefined], [''], ['a'.repeat(129)], ['has space'], ['{"json":1}'], ['-leading-dash'], [['two', 'values']]])(
    'makes a new UUID instead of %p',
    (incoming) => {
      expect(requestIdOf(withHeader(incoming))).toMatch(UUID);
    },
  );

  it('makes a different id each time', () => {
    expect(requestIdOf(withHeader())).not.toBe(requestIdOf(withHeader()));
  });
});
