import { Injectable } from '@nestjs/common';
import { Client } from '../clients/client.js';
import { ClientsService } from '../clients/clients.service.js';
import { redirectUriMatches } from '../clients/redirect-uri-rules.js';
import { AppError } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { issuerOf } from '../tokens/access-token.js';
import { OAuthError } from './oauth-errors.js';
import { OAuthParameters } from './oauth-parameters.js';
import { formatScope, grantedScope } from './scopes.js';

/** The parameters of an authorization request the login form carries to its POST (nothing else is kept). */
export const AUTHORIZATION_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'login_hint',
  'response_mode',
] as const;

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  domain: Domain;
  client: Client;
  redirectUri: string;
  state?: string;
  /** Space-delimited. */
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  /** `login`: ask for the password even when signed in; `none`: never ask (fail with login_required). */
  prompt?: 'login' | 'none';
  /** Seconds: a sign-in older than this asks for the password again. */
  maxAge?: number;
  loginHint?: string;
  /** The request's parameters, for the login form to carry. */
  parameters: Record<string, string>;
}

/** Refused before the redirect URI is trusted: shown to the user, never redirected (no open redirector, RFC 6749 §4.1.2.1). */
export class UntrustedAuthorizationRequest extends AppError {
  readonly code = 'invalid_authorization_request';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Refused once the client and redirect URI are known: the client hears it at its redirect URI. */
export class AuthorizationRefused extends Error {
  constructor(
    readonly domain: Domain,
    readonly redirectUri: string,
    readonly error: string,
    readonly description: string,
    readonly state: string | undefined,
  ) {
    super(description);
  }
}

/** Makes the refusal the client hears at its redirect URI. */
type Refuse = (error: string, description: string) => AuthorizationRefused;

const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_NONCE_LENGTH = 512;
const MAX_STATE_LENGTH = 2048;
const MAX_LOGIN_HINT_LENGTH = 256;

/** The authorization endpoint's checks, and the redirects that answer the client. */
@Injectable()
export class AuthorizationRequests {
  constructor(
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks a request in the order that decides how a refusal is told: domain, client and redirect
   * URI on a page; everything after at the client's redirect URI.
   */
  async validate(domainName: string, query: URLSearchParams): Promise<AuthorizationRequest> {
    const params = new OAuthParameters(query);
    const { domain, client, redirectUri } = await this.trustedParts(domainName, params);
    let state: string | undefined;
    const refuse: Refuse = (error, description) => new AuthorizationRefused(domain, redirectUri, error, description, state);
    try {
      state = params.optional('state');
      if (state !== undefined && state.length > MAX_STATE_LENGTH) throw refuse('invalid_request', 'state is too long');
      return { domain, client, redirectUri, state, ...this.grantParts(domain, client, params, refuse), parameters: carried(query) };
    } catch (error) {
      if (error instanceof OAuthError) throw refuse(error.code, error.message);
      throw error;
    }
  }

  /** Where the client hears the outcome: its redirect URI with the parameters, `iss` always (RFC 9207). */
  redirect(domain: Domain, redirectUri: string, outcome: Record<string, string | undefined>): string {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries({ ...outcome, iss: issuerOf(this.config.publicUrl, domain.name) })) {
      if (value !== undefined) url.searchParams.append(name, value);
    }
    return url.href;
  }

  private async trustedParts(
    domainName: string,
    params: OAuthParameters,
  ): Promise<{ domain: Domain; client: Client; redirectUri: string }> {
    const untrusted = (message: string, status = 400) => new UntrustedAuthorizationRequest(status, message);
    const domain = await this.domains.findActive(domainName);
    if (!domain) throw untrusted('This sign-in link is for an unknown or disabled domain.', 404);
    const [clientId, redirectUri] = ['client_id', 'redirect_uri'].map((name) => {
      try {
        return params.optional(name);
      } catch {
        throw untrusted(`The sign-in link has more than one ${name}.`);
      }
    });
    if (clientId === undefined) throw untrusted('The sign-in link names no application (client_id).');
    const client = await this.clients.findActiveRemembered(domain.name, clientId);
    if (!client || !client.grantTypes.includes('authorization_code')) {
      throw untrusted('The sign-in link names an application that is unknown, disabled, or may not sign users in here.');
    }
    if (redirectUri === undefined) throw untrusted('The sign-in link has no redirect_uri.');
    if (!redirectUriMatches(client.redirectUris, redirectUri)) {
      throw untrusted('The sign-in link would send you to an address the application has not registered.');
    }
    return { domain, client, redirectUri };
  }

  private grantParts(
    domain: Domain,
    client: Client,
    params: OAuthParameters,
    refuse: Refuse,
  ): Omit<AuthorizationRequest, 'domain' | 'client' | 'redirectUri' | 'state' | 'parameters'> {
    if (params.optional('request') !== undefined) throw refuse('request_not_supported', 'Request objects are not supported');
    if (params.optional('request_uri') !== undefined) throw refuse('request_uri_not_supported', 'request_uri is not supported');
    const responseType = params.optional('response_type');
    if (responseType === undefined) throw refuse('invalid_request', 'response_type is required');
    if (responseType !== 'code') throw refuse('unsupported_response_type', 'Only response_type=code is supported');
    const responseMode = params.optional('response_mode');
    if (responseMode !== undefined && responseMode !== 'query') throw refuse('invalid_request', 'Only response_mode=query is supported');

    const scope = grantedScope(params.optional('scope'), client.scopes);
    if (scope.includes('openid') && domain.algorithm === 'HS256') {
      throw refuse('invalid_scope', "openid needs ID tokens its clients can verify: this domain's key is symmetric (HS256)");
    }
    const nonce = params.optional('nonce');
    if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH) throw refuse('invalid_request', 'nonce is too long');
    const loginHint = params.optional('login_hint');
    if (loginHint !== undefined && loginHint.length > MAX_LOGIN_HINT_LENGTH) throw refuse('invalid_request', 'login_hint is too long');

    return {
      scope: formatScope(scope),
      nonce,
      codeChallenge: this.codeChallenge(client, params, refuse),
      prompt: this.prompt(params, refuse),
      maxAge: this.maxAge(params, refuse),
      loginHint,
    };
  }

  /** RFC 7636 §4.3 with OAuth 2.1's rules: S256 only (`plain` tells the verifier to anyone who sees the request); public clients must. */
  private codeChallenge(client: Client, params: OAuthParameters, refuse: Refuse) {
    const challenge = params.optional('code_challenge');
    const method = params.optional('code_challenge_method');
    if (challenge === undefined) {
      if (method !== undefined) throw refuse('invalid_request', 'code_challenge_method without code_challenge');
      if (client.type === 'public')
        throw refuse('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
      return undefined;
    }
    if (method !== 'S256') throw refuse('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
    if (!CODE_CHALLENGE_PATTERN.test(challenge)) throw refuse('invalid_request', 'code_challenge must be 43 base64url characters');
    return challenge;
  }

  private prompt(params: OAuthParameters, refuse: Refuse): 'login' | 'none' | undefined {
    const prompt = params.optional('prompt');
    if (prompt === undefined) return undefined;
    if (prompt === 'login' || prompt === 'none') return prompt;
    throw refuse('invalid_request', `prompt=${prompt} is not supported (login or none)`);
  }

  private maxAge(params: OAuthParameters, refuse: Refuse): number | undefined {
    const maxAge = params.optional('max_age');
    if (maxAge === undefined) return undefined;
    if (!/^\d{1,9}$/.test(maxAge)) throw refuse('invalid_request', 'max_age must be a number of seconds');
    return Number(maxAge);
  }
}

/** The authorization parameters of a request, each once (a repeated one was refused before). */
function carried(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(AUTHORIZATION_PARAMETERS.flatMap((name) => (query.has(name) ? [[name, query.get(name) as string]] : [])));
}
