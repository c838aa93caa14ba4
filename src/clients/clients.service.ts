import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { inBatches } from '../common/in-batches.js';
import { ClientNotConfidential, ClientNotFound, InvalidClientMetadata } from '../common/errors.js';
import { constantTimeEqual, randomId, randomSecret, sha256 } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { DomainsService } from '../domains/domains.service.js';
import { CreateClientDto } from './dto/create-client.dto.js';
import { CLIENT_DEFAULTS, CLIENT_ID_PATTERN, Client, ClientStatus, ClientView, toClientView } from './client.js';
import { ClientsRepository } from './clients.repository.js';
import { redirectUriProblem } from './redirect-uri-rules.js';

export interface ClientWithSecret extends ClientView {
  /** Confidential clients only, in the answer that creates or rotates it: never stored, never shown again. */
  clientSecret?: string;
}

/** The registry of a domain's OAuth clients, and the check of the credentials they present. */
@Injectable()
export class ClientsService {
  private readonly cache = new Map<string, { client: Client; expiresAt: number }>();

  constructor(
    private readonly clients: ClientsRepository,
    private readonly domains: DomainsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(domainName: string, input: CreateClientDto): Promise<ClientWithSecret> {
    const domain = await this.domains.get(domainName);
    assertRegistrable(input);
    const now = this.clock.now();
    const secret = input.type === 'confidential' ? randomSecret() : undefined;
    const client: Client = {
      domain: domain.name,
      clientId: randomId(),
      name: input.name,
      type: input.type,
      grantTypes: input.grantTypes,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      scopes: [...new Set(input.scopes ?? [])],
      ...(input.audience !== undefined && { audience: input.audience }),
      ...(input.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: input.accessTokenTtlSeconds }),
      refreshTokenTtlSeconds: input.refreshTokenTtlSeconds ?? CLIENT_DEFAULTS.refreshTokenTtlSeconds,
      refreshReuseGraceSeconds: input.refreshReuseGraceSeconds ?? CLIENT_DEFAULTS.refreshReuseGraceSeconds,
      status: 'active',
      ...(secret && { secretHash: sha256(secret) }),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    // 128 random bits do not collide; the condition makes sure of it anyway.
    if (!(await this.clients.create(client))) throw new Error('client id collision');
    return { ...toClientView(client, now.getTime()), ...(secret && { clientSecret: secret }) };
  }

  async list(domainName: string): Promise<ClientView[]> {
    const domain = await this.domains.get(domainName);
    const now = this.clock.now().getTime();
    const clients = await this.clients.listByDomain(domain.name);
    return clients.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((client) => toClientView(client, now));
  }

  async get(domain: string, clientId: string): Promise<ClientView> {
    return toClientView(await this.existing(domain, clientId), this.clock.now().getTime());
  }

  /** A disabled client's credentials are refused, so it can neither get nor refresh tokens. */
  async setStatus(domain: string, clientId: string, status: ClientStatus): Promise<ClientView> {
    this.forget(domain, clientId);
    const client = CLIENT_ID_PATTERN.test(clientId)
      ? await this.clients.setStatus(domain, clientId, status, this.clock.now().toISOString())
      : undefined;
    if (!client) throw new ClientNotFound();
    return toClientView(client, this.clock.now().getTime());
  }

  /** A new secret; the current one keeps working for `graceSeconds`, any older one stops now. */
  async rotateSecret(
    domain: string,
    clientId: string,
    graceSeconds = CLIENT_DEFAULTS.secretRotationGraceSeconds,
  ): Promise<ClientWithSecret> {
    this.forget(domain, clientId);
    const now = this.clock.now();
    const secret = randomSecret();
    const rotated = CLIENT_ID_PATTERN.test(clientId)
      ? await this.clients.rotateSecret(domain, clientId, sha256(secret), now.getTime() + graceSeconds * 1000, now.toISOString())
      : undefined;
    if (!rotated) {
      await this.existing(domain, clientId);
      throw new ClientNotConfidential();
    }
    return { ...toClientView(rotated, now.getTime()), clientSecret: secret };
  }

  async delete(domain: string, clientId: string): Promise<void> {
    this.forget(domain, clientId);
    if (!CLIENT_ID_PATTERN.test(clientId) || !(await this.clients.delete(domain, clientId))) throw new ClientNotFound();
  }

  /** Deletes every client of a domain being deleted. */
  async deleteAllOf(domain: string): Promise<void> {
    const clients = await this.clients.listByDomain(domain);
    await inBatches(clients, async ({ clientId }) => {
      this.forget(domain, clientId);
      await this.clients.delete(domain, clientId);
    });
  }

  /** The active client `clientId` of the domain, or undefined. */
  async findActive(domain: string, clientId: string): Promise<Client | undefined> {
    if (!CLIENT_ID_PATTERN.test(clientId)) return undefined;
    const client = await this.clients.find(domain, clientId);
    return client?.status === 'active' ? client : undefined;
  }

  /**
   * The active client whose credentials these are: a confidential client and its secret (or the
   * one a rotation replaced, while honoured), or a public client and no secret. The token
   * endpoint's hot path, so an active client is remembered for CLIENT_CACHE_SECONDS; credentials
   * that do not match what is remembered are checked against a fresh read before they are refused
   * (a new secret works at once everywhere; a disable, delete or cut-off secret reaches other
   * instances within CLIENT_CACHE_SECONDS, this one at once).
   */
  async verifyCredentials(domain: string, clientId: string, secret: string | undefined): Promise<Client | undefined> {
    const remembered = this.remembered(domain, clientId);
    if (remembered && this.credentialsMatch(remembered, secret)) return remembered;
    const client = await this.readAndRemember(domain, clientId);
    return client && this.credentialsMatch(client, secret) ? client : undefined;
  }

  /**
   * The active client, as the token endpoint knows it (remembered for CLIENT_CACHE_SECONDS): what
   * the authorization endpoint checks on every sign-in, single sign-on's hot path.
   */
  async findActiveRemembered(domain: string, clientId: string): Promise<Client | undefined> {
    return this.remembered(domain, clientId) ?? this.readAndRemember(domain, clientId);
  }

  private remembered(domain: string, clientId: string): Client | undefined {
    const entry = this.cache.get(`${domain}#${clientId}`);
    return entry && entry.expiresAt > this.clock.now().getTime() ? entry.client : undefined;
  }

  private async readAndRemember(domain: string, clientId: string): Promise<Client | undefined> {
    const key = `${domain}#${clientId}`;
    const client = await this.findActive(domain, clientId);
    if (!client) this.cache.delete(key);
    else if (this.config.clientCacheSeconds > 0) {
      this.cache.set(key, { client, expiresAt: this.clock.now().getTime() + this.config.clientCacheSeconds * 1000 });
    }
    return client;
  }

  private credentialsMatch(client: Client, secret: string | undefined): boolean {
    return client.type === 'public' ? secret === undefined : secret !== undefined && this.secretMatches(client, secret);
  }

  /** Whether `secret` is the client's secret, or the one a rotation replaced while it is honoured. */
  private secretMatches(client: Client, secret: string): boolean {
    const presented = sha256(secret);
    const current = client.secretHash !== undefined && constantTimeEqual(presented, client.secretHash);
    const previous =
      client.previousSecretHash !== undefined &&
      (client.previousSecretExpiresAt ?? 0) > this.clock.now().getTime() &&
      constantTimeEqual(presented, client.previousSecretHash);
    return current || previous;
  }

  /** A change made through this instance counts here at once. */
  private forget(domain: string, clientId: string): void {
    this.cache.delete(`${domain}#${clientId}`);
  }

  private async existing(domain: string, clientId: string): Promise<Client> {
    const client = CLIENT_ID_PATTERN.test(clientId) ? await this.clients.find(domain, clientId) : undefined;
    if (!client) throw new ClientNotFound();
    return client;
  }
}

/** The rules a registration must follow beyond the shape the DTO checks. */
function assertRegistrable(input: CreateClientDto): void {
  if (input.type === 'public' && input.grantTypes.includes('client_credentials')) {
    throw new InvalidClientMetadata('A public client cannot use client_credentials: it has no secret to prove who it is');
  }
  if (input.grantTypes.includes('authorization_code') && (input.redirectUris ?? []).length === 0) {
    throw new InvalidClientMetadata('The authorization_code grant needs at least one redirect URI');
  }
  for (const field of ['redirectUris', 'postLogoutRedirectUris'] as const) {
    (input[field] ?? []).forEach((uri, index) => {
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidClientMetadata(`${field}[${index}] ${problem}`);
    });
  }
}
