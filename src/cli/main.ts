import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppError } from '../common/errors.js';
import { InvalidConfigError, loadConfig } from '../config/load-config.js';
import { CliModule } from './cli.module.js';
import { COMMANDS } from './commands.js';

function usage(): string {
  return ['Usage: npm run cli -- <command>', '', ...Object.values(COMMANDS).map((command) => `  ${command.usage}`)].join('\n');
}

async function readPassword(): Promise<string> {
  if (process.env.AUTH_USER_PASSWORD) return process.env.AUTH_USER_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      algorithm: { type: 'string' },
      audience: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'access-ttl': { type: 'string' },
      'session-ttl': { type: 'string' },
      domain: { type: 'string' },
      due: { type: 'boolean' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const words = COMMANDS[positionals.slice(0, 2).join(' ')] ? 2 : 1;
  const command = COMMANDS[positionals.slice(0, words).join(' ')];
  if (!command || values.help) {
    console.error(usage());
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['warn', 'error', 'fatal'] });
  try {
    const result = await command.run(app, { args: positionals.slice(words), options: values, readPassword });
    console.log(JSON.stringify(result, null, 2));
    // `rotate --due` reports per domain: one failure fails the run, so the scheduled job alerts.
    const failed = Array.isArray(result) && result.some((entry: { status?: string }) => entry?.status === 'failed');
    return failed ? 1 : 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppError || error instanceof InvalidConfigError) console.error(`error: ${error.message}`);
    else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
      console.error(`${error.message}\n\n${usage()}`);
    else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
