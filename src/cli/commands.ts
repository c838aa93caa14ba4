import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { AwsClients } from '../aws/aws-clients.js';
import { ensureTables } from '../aws/ensure-tables.js';
import { DomainDeletionService } from '../domain-deletion/domain-deletion.service.js';
import { DomainsService } from '../domains/domains.service.js';
import { CreateDomainDto } from '../domains/dto/create-domain.dto.js';
import { SIGNING_ALGORITHMS } from '../keys/signing-key.js';
import { RotationService } from '../rotation/rotation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { LoginThrottleService } from '../throttling/login-throttle.service.js';
import { CreateUserDto, PasswordDto } from '../users/dto/create-user.dto.js';
import { UsersService } from '../users/users.service.js';
import { addClientCommands } from './client-commands.js';
import { addEventCommands } from './event-commands.js';
import { number, validated, type CliRuntime } from './cli-runtime.js';

interface DomainCreateOptions {
  algorithm?: string;
  audience?: string;
  corsOrigin?: string[];
  accessTtl?: string;
  sessionTtl?: string;
  displayName?: string;
  logoUrl?: string;
  brandColor?: string;
}

interface RotateOptions {
  domain?: string;
  force?: boolean;
  due?: boolean;
}

/** Who the audit trail names for changes made from this CLI. */
export const cliActor = () => `cli:${userInfo().username}`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

const PASSWORD_SOURCE = `
The password is never an argument: it is AUTH_USER_PASSWORD if set, else asked
twice (hidden) when stdin is a terminal, else the first line of stdin
(echo "$PASSWORD" | npm run cli -- ...).`;

/**
 * The command tree. Actions validate their input, then hand main.ts a job, so the store is only
 * reached once the command line is known to be right.
 */
export function buildProgram(cli: CliRuntime): Command {
  // Subcommands copy these settings when created, so they are set first.
  const program = new Command('cli')
    .description(
      'Operator CLI of auth-service: domains, users, sessions, signing keys and OAuth clients, through the services the API uses. ' +
        'Run it as `npm run cli -- <command>` (in the container: `node dist/cli/main.js <command>`).',
    )
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

  const tables = program.command('tables').description('DynamoDB tables: create');
  tables
    .command('create')
    .description('create the missing tables (for AWS, where the service does not create them)')
    .action(() => cli.run(async (app) => ({ created: await ensureTables(app.get(AwsClients)) })));

  const domain = program.command('domain').description('domains (tenants): create, list, disable, enable');
  domain
    .command('create')
    .description('create a domain with its first signing key')
    .argument('<name>', 'lowercase letters, digits and dashes (1-63 characters)')
    .option('--algorithm <alg>', `signing algorithm: ${SIGNING_ALGORITHMS.join(', ')} (default ES256; HS256 is legacy)`)
    .option('--audience <aud>', 'aud claim of its tokens (default: the domain name)')
    .option('--cors-origin <origin>', 'a browser origin allowed to call the API, e.g. https://app.example (repeatable)', collect)
    .option('--access-ttl <seconds>', 'access token lifetime (default ACCESS_TOKEN_TTL_SECONDS)')
    .option('--session-ttl <seconds>', 'session lifetime (default SESSION_TTL_SECONDS)')
    .option('--display-name <text>', 'what its login page calls it (default: the domain name)')
    .option('--logo-url <url>', 'the logo on its login page (https)')
    .option('--brand-color <#rrggbb>', 'the accent colour of its login page')
    .action(async (name: string, options: DomainCreateOptions) => {
      const input = await validated(CreateDomainDto, {
        name,
        algorithm: options.algorithm,
        audience: options.audience,
        corsOrigins: options.corsOrigin,
        accessTokenTtlSeconds: number(options.accessTtl),
        sessionTtlSeconds: number(options.sessionTtl),
        displayName: options.displayName,
        logoUrl: options.logoUrl,
        brandColor: options.brandColor,
      });
      await cli.run((app) => app.get(DomainsService).create(input, cliActor()));
    });
  domain
    .command('list')
    .description('list every domain')
    .action(() => cli.run((app) => app.get(DomainsService).list()));
  domain
    .command('disable')
    .description('disable a domain: its users cannot log in and its sessions stop being valid')
    .argument('<name>', 'the domain')
    .action((name: string) => cli.run((app) => app.get(DomainsService).setStatus(name, 'disabled')));
  domain
    .command('enable')
    .description('enable a disabled domain')
    .argument('<name>', 'the domain')
    .action((name: string) => cli.run((app) => app.get(DomainsService).setStatus(name, 'active')));
  domain
    .command('delete')
    .description(
      'delete a disabled domain with its users, sessions, clients and keys (its security events stay until their retention ends)',
    )
    .argument('<name>', 'the domain (disable it first)')
    .action((name: string) =>
      cli.run(async (app) => {
        await app.get(DomainDeletionService).delete(name);
        return { deleted: name };
      }),
    );

  const user = program.command('user').description('users of a domain: create, set-password, disable, enable, throttle');
  user
    .command('create')
    .description('create a user (password from AUTH_USER_PASSWORD, a hidden prompt or stdin)')
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the new user')
    .addHelpText('after', PASSWORD_SOURCE)
    .action(async (domain: string, username: string) => {
      const input = await validated(CreateUserDto, { username, password: await cli.readPassword() });
      await cli.run((app) => app.get(UsersService).create(domain, input.username, input.password));
    });
  user
    .command('set-password')
    .description("replace a user's password and end its sessions (password as for user create)")
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the user')
    .addHelpText('after', PASSWORD_SOURCE)
    .action(async (domain: string, username: string) => {
      const { password } = await validated(PasswordDto, { password: await cli.readPassword() });
      await cli.run((app) => app.get(UsersService).setPassword(domain, username, password));
    });
  user
    .command('disable')
    .description('disable a user and end its sessions')
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the user')
    .action((domain: string, username: string) => cli.run((app) => app.get(UsersService).setStatus(domain, username, 'disabled')));
  user
    .command('enable')
    .description('enable a disabled user')
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the user')
    .action((domain: string, username: string) => cli.run((app) => app.get(UsersService).setStatus(domain, username, 'active')));
  user
    .command('throttle')
    .description("show an account's login throttle (any username, existing or not), or clear it")
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the account')
    .option('--clear', 'clear it: new clients may try again at once (every instance within 10 s)')
    .action((domain: string, username: string, options: { clear?: boolean }) =>
      cli.run(async (app) => {
        const throttle = app.get(LoginThrottleService);
        const found = await app.get(DomainsService).get(domain);
        if (options.clear) await throttle.clearAccount(found.name, username);
        return throttle.accountState(found, username);
      }),
    );

  const session = program.command('session').description("a user's sessions: list, revoke");
  session
    .command('list')
    .description("list a user's sessions (without their refresh credentials)")
    .argument('<domain>', 'the domain')
    .argument('<username>', 'the user')
    .action((domain: string, username: string) =>
      cli.run(async (app) => (await app.get(SessionsService).listForUser(domain, username)).map(({ refreshHash: _hash, ...rest }) => rest)),
    );
  session
    .command('revoke')
    .description('revoke a session (log it out)')
    .argument('<session-id>', "the session id (the token's session claim)")
    .action((id: string) =>
      cli.run(async (app) => {
        await app.get(SessionsService).revokeAsAdmin(id);
        return { revoked: id };
      }),
    );

  program
    .command('rotate')
    .description('rotate signing keys: one domain now (--domain), or every domain past its rotation period (--due)')
    .option('--domain <name>', 'rotate this domain now')
    .option('--force', 'rotate even while the oldest key may have signed a live session (a compromised key)')
    .addOption(
      new Option('--due', 'rotate every domain past its rotationPeriodDays (default 30); exits 1 if any failed').conflicts([
        'domain',
        'force',
      ]),
    )
    .action(async (options: RotateOptions, command: Command) => {
      const { domain: name, force = false, due } = options;
      if (due) return cli.run((app) => app.get(RotationService).rotateDue(cliActor()));
      if (name === undefined) command.error('error: rotate needs --domain <name> or --due', { code: 'cli.rotateTarget' });
      return cli.run((app) => app.get(RotationService).rotate(name, cliActor(), { force }));
    });

  const keys = program.command('keys').description("a domain's signing keys");
  keys
    .command('list')
    .description('list the key versions: kid, algorithm, labels, who created them and when')
    .argument('<domain>', 'the domain')
    .action((name: string) => cli.run((app) => app.get(RotationService).listKeys(name)));

  addClientCommands(program, cli);
  addEventCommands(program, cli);
  return program;
}
