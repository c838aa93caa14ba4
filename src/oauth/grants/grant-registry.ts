import { Injectable } from '@nestjs/common';
import { GrantType } from '../../clients/client.js';
import { AuthorizationCodeGrant } from './authorization-code.grant.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { Grant } from './grant.js';
import { PasswordGrant } from './password.grant.js';
import { RefreshTokenGrant } from './refresh-token.grant.js';

/** The token endpoint's grants by `grant_type`; a new grant is a new file and one line here. */
@Injectable()
export class GrantRegistry {
  private readonly grants: ReadonlyMap<string, Grant>;

  constructor(
    authorizationCode: AuthorizationCodeGrant,
    clientCredentials: ClientCredentialsGrant,
    password: PasswordGrant,
    refreshToken: RefreshTokenGrant,
  ) {
    this.grants = new Map([authorizationCode, clientCredentials, password, refreshToken].map((grant) => [grant.type, grant]));
  }

  find(type: string): Grant | undefined {
    return this.grants.get(type);
  }

  get types(): GrantType[] {
    return [...this.grants.keys()] as GrantType[];
  }
}

export const GRANTS = [AuthorizationCodeGrant, ClientCredentialsGrant, PasswordGrant, RefreshTokenGrant];
