import 'reflect-metadata';
import { createInterface } from 'node:readline';
import password from '@inquirer/password';
import { NestFactory } from '@nestjs/core';
import { CommanderError } from 'commander';
import { ValidationFailed } from '../common/errors.js';
import type { AppConfig } from '../config/app-config.js';
import { InvalidConfigError, loadConfig } from '../config/load-config.js';
import { CliModule } from './cli.module.js';
import { PlainText, type Job } from './cli-runtime.js';
import { buildProgram } from './commands.js';
import { traced } from '../tracing/traced.js';

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const EXIT_CODES = `
Exit codes:
  0  success
  1  the operation failed: e.g. "Domain already exists", "Domain not found",
     invalid input, the store unavailable, a failed rotation in \`rotate --due\`
  2  usage error: unknown command or option, missing argument, or invalid
     configuration (environment variables)`;

/** Asks twice, as passwd does: a typo in a hidden field would otherwise lock the user out. */
async function promptPassword(): Promise<string> {
  // stderr, so stdout carries only the JSON result; no ctrl+t reveal, the password is never shown.
  const ask = (message: string) => password({ message, toggleMask: false }, { output: process.stderr });
  const first = await ask('Password:');
  if ((await ask('Repeat password:')) !== first) throw new ValidationFailed('passwords do not match');
  return first;
}

async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Never from an argument (it would sit in the shell history and the process list). */
async function readPassword(): Promise<string> {
  if (process.env.AUTH_USER_PASSWORD) return process.env.AUTH_USER_PASSWORD;
  // A person at a terminal gets a hidden prompt; a pipe (`echo pw | npm run cli -- ...`) keeps working.
  return process.stdin.isTTY ? promptPassword() : firstLineOfStdin();
}

async function main(argv: string[]): Promise<number> {
  let config: AppConfig | undefined;
  let exitCode: number = EXIT.ok;
  let commandName = '';
  const notices: string[] = [];
  const program = buildProgram({
    readPassword,
    notice: (message) => notices.push(message),
    run: async (job: Job) => {
      const app = await NestFactory.createApplicationContext(CliModule.forRoot(config ?? loadConfig()), {
        logger: ['warn', 'error', 'fatal'],
      });
      try {
        // One span per command (`cli rotate`), the store calls below it; a no-op unless tracing was started.
        const result = await traced(`cli ${commandName}`, {}, () => job(app));
        console.log(result instanceof PlainText ? result.text : JSON.stringify(result, null, 2));
        // After the result, so they are the last thing an operator at a terminal reads.
        for (const notice of notices) console.error(notice);
        // `rotate --due` reports per domain: one failure fails the run, so the scheduled job alerts.
        const failed = Array.isArray(result) && result.some((entry: { status?: string }) => entry?.status === 'failed');
        if (failed) exitCode = EXIT.failed;
      } finally {
        await app.close();
      }
    },
  });
  // Once the arguments parsed (so --help needs no valid environment) and before any password prompt.
  program.hook('preAction', (_program, action) => {
    config = loadConfig();
    commandName = [action.parent?.parent ? action.parent.name() : undefined, action.name()].filter(Boolean).join(' ');
  });
  program.addHelpText('afterAll', EXIT_CODES);
  await program.parseAsync(argv, { from: 'user' });
  return exitCode;
}

/** Known errors print one line (never a stack trace) and choose the exit code. */
function exitCodeOf(error: unknown): number {
  // Commander has already printed its message (or the help) on stderr; 0 when help was asked for.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  return error instanceof InvalidConfigError ? EXIT.usage : EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(exitCodeOf(error)),
);
