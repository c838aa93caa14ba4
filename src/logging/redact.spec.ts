import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { loadConfig } from '../config/load-config.js';
import { loggerParams } from './logger-options.js';
import { REDACTED, redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('replaces secret keys at any depth, in objects and arrays, whatever their case', () => {
    const input = {
      user: 'alice',
      password: 'p1',
      request: { headers: { Authorization: 'Bearer t', Cookie: 'c', accept: 'json' } },
      deep: { a: { b: { c: { refresh_token: 'r', ok: 1 } } } },
      keys: [
        { kid: 'k1', privateJwk: { d: 'x' } },
        { kid: 'k2', jwk: { kty: 'EC', d: 'y', x: 'pub' } },
      ],
      body: { token: 't2', adminToken: 'a', newPassword: undefined },
    };
    expect(redactSecrets(input)).toEqual({
      user: 'alice',
      password: REDACTED,
      request: { headers: { Authorization: REDACTED, Cookie: REDACTED, accept: 'json' } },
      deep: { a: { b: { c: { refresh_token: REDACTED, ok: 1 } } } },
      keys: [
        { kid: 'k1', privateJwk: REDACTED },
        { kid: 'k2', jwk: { kty: 'EC', d: REDACTED, x: 'pub' } },
      ],
      body: { token: REDACTED, adminToken: REDACTED, newPassword: undefined },
    });
  });

  it("never changes the caller's object, and returns it as is when there is nothing to redact", () => {
    const input = { nested: { password: 'p' }, list: [{ token: 't' }] };
    redactSecrets(input);
    expect(input).toEqual({ nested: { password: 'p' }, list: [{ token: 't' }] });
    const clean = { a: { b: [1, 'two', { c: null }] }, when: new Date(0) };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it('keeps the message and stack of an error that carries a secret', () => {
    const error = Object.assign(new Error('boom'), { password: 'p' });
    expect(redactSecrets(error)).toMatchObject({ message: 'boom', stack: expect.stringContaining('boom'), password: REDACTED });
  });
});

describe("the app's pino options", () => {
  function capture(): { lines: string[]; stream: Writable } {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { lines, stream };
  }

  it('redact what any log call passes, errors included', () => {
    const { lines, stream } = capture();
    const params = loggerParams(loadConfig({ LOG_LEVEL: 'trace' }));
    const { logger } = pinoHttp(params.pinoHttp as object, stream);
    logger.info({ user: { name: 'alice', password: 'secret-1' }, headers: { authorization: 'Bearer secret-2' } }, 'login');
    logger.child({ reqId: 'r-1' }).warn({ session: { refresh_token: 'secret-3' } }, 'child');
    logger.error({ err: Object.assign(new Error('failed'), { token: 'secret-4' }) }, 'error');
    logger.debug({ key: { kid: 'k', privateJwk: { kty: 'OKP', d: 'secret-5' } } }, 'key');
    const output = lines.join('');
    expect(output).not.toMatch(/secret-\d/);
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', msg: 'login', user: { name: 'alice', password: REDACTED } });
    expect(JSON.parse(lines[2])).toMatchObject({ err: { message: 'failed', token: REDACTED } });
  });

  it('log at the configured level', () => {
    const { lines, stream } = capture();
    const { logger } = pinoHttp(loggerParams(loadConfig({ LOG_LEVEL: 'warn' })).pinoHttp as object, stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
  });
});
