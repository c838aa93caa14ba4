import type { Command } from 'commander';
import { Clock } from '../common/clock.js';
import { ValidationFailed } from '../common/errors.js';
import { EVENTS_PAGE_DEFAULT, EVENTS_PAGE_MAX, EventsQueryDto } from '../events/dto/events-query.dto.js';
import { EventsService } from '../events/events.service.js';
import { EVENT_TYPES, type SecurityEvent } from '../events/security-event.js';
import { number, PlainText, validated, type CliRuntime } from './cli-runtime.js';
import { instantOf } from './relative-time.js';

interface EventsOptions {
  user?: string;
  type?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

const COLUMNS: [string, (event: SecurityEvent) => string | undefined][] = [
  ['TIME', (event) => event.at],
  ['TYPE', (event) => event.type],
  ['USER', (event) => event.username],
  ['DETAIL', (event) => [event.reason, event.result, event.actor && `by ${event.actor}`].filter(Boolean).join(', ')],
  ['CLIENT', (event) => event.clientId],
  ['SESSION', (event) => event.sessionId],
  ['ADDRESS', (event) => event.clientAddress],
  ['REQUEST', (event) => event.requestId],
];

/** Newest first, one aligned line each; the user agent is left to --json. */
function table(events: SecurityEvent[], cursor: string | undefined): string {
  if (events.length === 0) return 'no events';
  const rows = events.map((event) => COLUMNS.map(([, value]) => value(event) || '-'));
  const widths = COLUMNS.map(([title], column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const more = cursor ? [`more: add --cursor ${cursor}`] : [];
  return [line(COLUMNS.map(([title]) => title)), ...rows.map(line), ...more].join('\n');
}

/** `events <domain>`: the security event trail, as the admin API serves it. */
export function addEventCommands(program: Command, cli: CliRuntime): void {
  program
    .command('events')
    .description("a domain's security events, newest first")
    .argument('<domain>', 'the domain')
    .option('--user <username>', "one user's events")
    .option('--type <type>', `one type: ${EVENT_TYPES.join(', ')}`)
    .option('--since <time>', 'from an ISO 8601 time, or an age: 90s, 30m, 1h, 7d')
    .option('--until <time>', 'until an ISO 8601 time, or an age')
    .option('--limit <n>', `events per page (1-${EVENTS_PAGE_MAX}, default ${EVENTS_PAGE_DEFAULT})`)
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .option('--json', 'the page as JSON (with user agents and the cursor)')
    .action((domain: string, options: EventsOptions) =>
      cli.run(async (app) => {
        const now = app.get(Clock).now();
        const instant = (name: string, value: string | undefined) => {
          if (value === undefined) return undefined;
          const at = instantOf(value, now);
          if (!at) throw new ValidationFailed(`--${name} must be an ISO 8601 time or an age like 30m, 1h, 7d`);
          return at;
        };
        const query = await validated(EventsQueryDto, {
          username: options.user,
          type: options.type,
          since: instant('since', options.since),
          until: instant('until', options.until),
          limit: number(options.limit),
          cursor: options.cursor,
        });
        const page = await app.get(EventsService).query({ domain, ...query, limit: query.limit ?? EVENTS_PAGE_DEFAULT });
        return options.json ? page : new PlainText(table(page.events, page.cursor));
      }),
    );
}
