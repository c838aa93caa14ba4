import { PassThrough } from 'node:stream';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from './logger-options.js';

function linesOf(format: 'json' | 'pretty') {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const logger = createLogger(loadConfig({ LOG_FORMAT: format }), output);
  logger.info({ user: 'alice', password: 'hunter2-secret' }, 'user created');
  return chunks.join('');
}

describe('log format', () => {
  it('is pretty at a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('JSON: one object a line, the level by name, secrets redacted', () => {
    const line = JSON.parse(linesOf('json'));
    expect(line).toMatchObject({ level: 'info', msg: 'user created', user: 'alice', password: '[Redacted]' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('pretty: a readable line with the level and message, secrets still redacted', () => {
    const text = linesOf('pretty');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: user created\n/);
    expect(text).toContain('user: "alice"');
    expect(text).toContain('[Redacted]');
    expect(text).not.toContain('hunter2-secret');
    expect(() => JSON.parse(text)).toThrow();
  });
});
