import type { Command } from 'commander';
import { CLIENT_BOUNDS, CLIENT_DEFAULTS, GRANT_TYPES } from '../clients/client.js';
import { ClientsService } from '../clients/clients.service.js';
import { CreateClientDto } from '../clients/dto/create-client.dto.js';
import { RotateClientSecretDto } from '../clients/dto/rotate-client-secret.dto.js';
import { number, validated, type CliRuntime } from './cli-runtime.js';

interface ClientCreateOptions {
  name: string;
  type: string;
  grant: string[];
  scope?: string[];
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  audience?: string;
  accessTokenTtl?: string;
  refreshTokenTtl?: string;
  refreshReuseGrace?: string;
}

const range = ({ min, max }: { min: number; max: number }) => `${min}-${max}`;
const { accessTokenTtlSeconds, refreshTokenTtlSeconds, refreshReuseGraceSeconds, secretRotationGraceSeconds } = CLIENT_BOUNDS;

// Only the secret's hash is stored: the answer that creates it is the one chance to copy it.
const SHOWN_ONLY_NOW = 'note: clientSecret is shown only now and cannot be shown again (only its hash is stored): store it securely.';
const LOST_SECRET = 'If it is lost, give the client a new one with `client rotate-secret`.';

const SEVERAL_VALUES = `
--grant, --scope, --redirect-uri and --post-logout-redirect-uri take several values, space-separated or repeated:
--grant password refresh_token, or --grant password --grant refresh_token. The domain comes first.`;

/** `client ...`: a domain's OAuth 2.0 clients, through the ClientsService the admin API uses. */
export function addClientCommands(program: Command, cli: CliRuntime): void {
  const client = program
    .command('client')
    .description("a domain's OAuth 2.0 clients: create, list, get, disable, enable, rotate-secret, delete");
  client
    .command('create')
    .description('register a client; a confidential one gets a secret, printed this once')
    .argument('<domain>', 'the domain')
    .requiredOption('--name <name>', 'what it is, for people (1-100 characters)')
    .requiredOption('--type <type>', 'confidential (a server: gets a secret) or public (a browser or mobile app: cannot keep one)')
    .requiredOption('--grant <grant...>', `the grant types it may use: ${GRANT_TYPES.join(', ')} (public clients: not client_credentials)`)
    .option('--scope <scope...>', 'the scopes it may ask for (default: none)')
    .option('--redirect-uri <uri...>', 'exact redirect URIs: https, loopback http, or a private-use scheme (com.example.app:/callback)')
    .option('--post-logout-redirect-uri <uri...>', 'where RP-initiated logout may send the browser afterwards (same rules)')
    .option('--audience <aud>', "aud claim of its access tokens (default: the domain's audience)")
    .option('--access-token-ttl <seconds>', `access token lifetime, ${range(accessTokenTtlSeconds)} (default: the domain's)`)
    .option(
      '--refresh-token-ttl <seconds>',
      `how long an unused refresh token lives, ${range(refreshTokenTtlSeconds)} (default ${CLIENT_DEFAULTS.refreshTokenTtlSeconds})`,
    )
    .option(
      '--refresh-reuse-grace <seconds>',
      `how long a used refresh token may come again as a retry, ${range(refreshReuseGraceSeconds)} (default ${CLIENT_DEFAULTS.refreshReuseGraceSeconds})`,
    )
    .addHelpText('after', SEVERAL_VALUES)
    .action(async (domain: string, options: ClientCreateOptions) => {
      const input = await validated(CreateClientDto, {
        name: options.name,
        type: options.type,
        grantTypes: options.grant,
        scopes: options.scope,
        redirectUris: options.redirectUri,
        postLogoutRedirectUris: options.postLogoutRedirectUri,
        audience: options.audience,
        accessTokenTtlSeconds: number(options.accessTokenTtl),
        refreshTokenTtlSeconds: number(options.refreshTokenTtl),
        refreshReuseGraceSeconds: number(options.refreshReuseGrace),
      });
      await cli.run(async (app) => {
        const created = await app.get(ClientsService).create(domain, input);
        if (created.clientSecret !== undefined) cli.notice(`${SHOWN_ONLY_NOW} ${LOST_SECRET}`);
        return created;
      });
    });
  client
    .command('list')
    .description("list the domain's clients (never their secrets)")
    .argument('<domain>', 'the domain')
    .action((domain: string) => cli.run((app) => app.get(ClientsService).list(domain)));
  client
    .command('get')
    .description('show one client (never its secret)')
    .argument('<domain>', 'the domain')
    .argument('<client-id>', 'the client')
    .action((domain: string, clientId: string) => cli.run((app) => app.get(ClientsService).get(domain, clientId)));
  client
    .command('disable')
    .description('disable a client: its credentials and refresh tokens are refused, its tokens introspect inactive')
    .argument('<domain>', 'the domain')
    .argument('<client-id>', 'the client')
    .action((domain: string, clientId: string) => cli.run((app) => app.get(ClientsService).setStatus(domain, clientId, 'disabled')));
  client
    .command('enable')
    .description('enable a disabled client')
    .argument('<domain>', 'the domain')
    .argument('<client-id>', 'the client')
    .action((domain: string, clientId: string) => cli.run((app) => app.get(ClientsService).setStatus(domain, clientId, 'active')));
  client
    .command('rotate-secret')
    .description('give a confidential client a new secret, printed this once; the current one keeps working for --grace')
    .argument('<domain>', 'the domain')
    .argument('<client-id>', 'the client')
    .option(
      '--grace <seconds>',
      `how long the current secret keeps working, ${range(secretRotationGraceSeconds)} (default ${CLIENT_DEFAULTS.secretRotationGraceSeconds}); ` +
        'a secret an earlier rotation replaced stops at once',
    )
    .action(async (domain: string, clientId: string, options: { grace?: string }) => {
      const { graceSeconds } = await validated(RotateClientSecretDto, { graceSeconds: number(options.grace) });
      await cli.run(async (app) => {
        const rotated = await app.get(ClientsService).rotateSecret(domain, clientId, graceSeconds);
        const until = rotated.previousSecretValidUntil;
        cli.notice(`${SHOWN_ONLY_NOW} The previous secret ${until ? `keeps working until ${until}` : 'no longer works'}.`);
        return rotated;
      });
    });
  client
    .command('delete')
    .description('delete a client: its tokens introspect inactive and its refresh tokens stop working')
    .argument('<domain>', 'the domain')
    .argument('<client-id>', 'the client')
    .action((domain: string, clientId: string) =>
      cli.run(async (app) => {
        await app.get(ClientsService).delete(domain, clientId);
        return { deleted: clientId };
      }),
    );
}
