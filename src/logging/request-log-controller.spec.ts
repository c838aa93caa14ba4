import { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { RequestLogController } from './request-log-controller.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level, formatters: { level: (label) => ({ level: label }) } }, stream) };
}

function exchange(log: pino.Logger, url: string, statusCode: number) {
  const request = {
    url,
    method: 'POST',
    ip: '203.0.113.7',
    headers: { 'user-agent': 'curl/8', authorization: 'Bearer secret-token', cookie: 'session=secret' },
    body: { password: 'secret-password' },
    log: log.child({ reqId: 'req-1' }),
  } as unknown as FastifyRequest;
  return [request, { statusCode, elapsedTime: 12.5 } as unknown as FastifyReply] as const;
}

describe('RequestLogController', () => {
  const controller = new RequestLogController();

  it('writes one line per completed request with its id, method, path and status, and nothing else of the request', () => {
    const { lines, logger } = capture('info');
    controller.incomingRequest();
    controller.requestCompleted(undefined, ...exchange(logger, '/login?token=secret-query', 200));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        reqId: 'req-1',
        msg: 'request completed',
        req: { method: 'POST', url: '/login', remoteAddress: '203.0.113.7', userAgent: 'curl/8' },
        res: { statusCode: 200 },
        responseTime: 12.5,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });

  it('logs a 5xx or an error at error, with the error', () => {
    const { lines, logger } = capture('info');
    controller.requestCompleted(undefined, ...exchange(logger, '/refresh', 503));
    controller.requestCompleted(new Error('socket hang up'), ...exchange(logger, '/refresh', 200));
    expect(lines.map((line) => line.level)).toEqual(['error', 'error']);
    expect(lines[1]).toMatchObject({ err: { message: 'socket hang up' } });
  });

  it('keeps probes at debug, out of an info log', () => {
    const { lines, logger } = capture('info');
    controller.requestCompleted(undefined, ...exchange(logger, '/health/ready', 200));
    controller.requestCompleted(undefined, ...exchange(logger, '/metrics', 200));
    expect(lines).toEqual([]);
    const debug = capture('debug');
    controller.requestCompleted(undefined, ...exchange(debug.logger, '/health/live', 200));
    expect(debug.lines).toEqual([expect.objectContaining({ level: 'debug', req: expect.objectContaining({ url: '/health/live' }) })]);
  });
});
