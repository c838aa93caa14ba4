import { userInfo } from 'node:os';
import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AwsClients } from '../aws/aws-clients.js';
import { ensureTables } from '../aws/ensure-tables.js';
import { ValidationFailed } from '../common/errors.js';
import { DomainsService } from '../domains/domains.service.js';
import { CreateDomainDto } from '../domains/dto/create-domain.dto.js';
import { RotationService } from '../rotation/rotation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { CreateUserDto, PasswordDto } from '../users/dto/create-user.dto.js';
import { UsersService } from '../users/users.service.js';

export interface CommandInput {
  args: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  readPassword: () => Promise<string>;
}

type Command = (app: INestApplicationContext, input: CommandInput) => Promise<unknown>;

/** The same validation the HTTP API applies to its bodies. */
async function validated<T extends object>(type: new () => T, plain: object): Promise<T> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationFailed(errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '));
  return instance;
}

/** Who the audit trail names for changes made from this CLI. */
export const cliActor = () => `cli:${userInfo().username}`;

const number = (value: unknown) => (typeof value === 'string' ? Number(value) : undefined);

export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  'tables create': {
    usage: 'tables create',
    run: async (app) => ({ created: await ensureTables(app.get(AwsClients)) }),
  },
  'domain create': {
    usage:
      'domain create <name> [--algorithm ES256|EdDSA|RS256|HS256] [--audience aud] [--cors-origin https://app.example]... [--access-ttl s] [--session-ttl s]',
    run: async (app, { args: [name], options }) => {
      const input = await validated(CreateDomainDto, {
        name,
        algorithm: options.algorithm,
        audience: options.audience,
        corsOrigins: options['cors-origin'],
        accessTokenTtlSeconds: number(options['access-ttl']),
        sessionTtlSeconds: number(options['session-ttl']),
      });
      return app.get(DomainsService).create(input, cliActor());
    },
  },
  'domain list': { usage: 'domain list', run: (app) => app.get(DomainsService).list() },
  'domain disable': { usage: 'domain disable <name>', run: (app, { args: [name] }) => app.get(DomainsService).setStatus(name, 'disabled') },
  'domain enable': { usage: 'domain enable <name>', run: (app, { args: [name] }) => app.get(DomainsService).setStatus(name, 'active') },
  'user create': {
    usage: 'user create <domain> <username>   (password from AUTH_USER_PASSWORD or the first line of stdin)',
    run: async (app, { args: [domain, username], readPassword }) => {
      const input = await validated(CreateUserDto, { username, password: await readPassword() });
      return app.get(UsersService).create(domain, input.username, input.password);
    },
  },
  'user set-password': {
    usage: 'user set-password <domain> <username>   (password from AUTH_USER_PASSWORD or stdin)',
    run: async (app, { args: [domain, username], readPassword }) => {
      const { password } = await validated(PasswordDto, { password: await readPassword() });
      return app.get(UsersService).setPassword(domain, username, password);
    },
  },
  'user disable': {
    usage: 'user disable <domain> <username>',
    run: (app, { args: [d, u] }) => app.get(UsersService).setStatus(d, u, 'disabled'),
  },
  'user enable': {
    usage: 'user enable <domain> <username>',
    run: (app, { args: [d, u] }) => app.get(UsersService).setStatus(d, u, 'active'),
  },
  rotate: {
    usage: 'rotate --domain <name> [--force] | --due   (rotate one domain now, or every domain past its rotation period)',
    run: async (app, { options }) => {
      const rotation = app.get(RotationService);
      if (options.due) return rotation.rotateDue(cliActor());
      if (typeof options.domain !== 'string') throw new ValidationFailed('rotate needs --domain <name> or --due');
      return rotation.rotate(options.domain, cliActor(), { force: options.force === true });
    },
  },
  'keys list': { usage: 'keys list <domain>', run: (app, { args: [domain] }) => app.get(RotationService).listKeys(domain) },
  'session list': {
    usage: 'session list <domain> <username>',
    run: async (app, { args: [domain, username] }) =>
      (await app.get(SessionsService).listForUser(domain, username)).map(({ refreshHash: _hash, ...session }) => session),
  },
  'session revoke': {
    usage: 'session revoke <session-id>',
    run: async (app, { args: [id] }) => {
      await app.get(SessionsService).revoke(id);
      return { revoked: id };
    },
  },
};
