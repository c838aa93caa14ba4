import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 8414 §2. */
export class AuthorizationServerMetadataDto {
  @ApiProperty({ example: 'https://auth.example.com/domains/acme' }) issuer: string;
  @ApiProperty({ description: 'The hosted login page (authorization code + PKCE)' }) authorization_endpoint: string;
  @ApiProperty() token_endpoint: string;
  @ApiProperty() jwks_uri: string;
  @ApiProperty() introspection_endpoint: string;
  @ApiProperty() revocation_endpoint: string;
  @ApiProperty({ type: [String], description: "The scopes the domain's active clients may ask for" }) scopes_supported: string[];
  @ApiProperty({ type: [String], example: ['code'] }) response_types_supported: string[];
  @ApiProperty({ type: [String], example: ['query'] }) response_modes_supported: string[];
  @ApiProperty({ type: [String], example: ['S256'] }) code_challenge_methods_supported: string[];
  @ApiProperty({ description: 'RFC 9207: authorization responses carry iss' }) authorization_response_iss_parameter_supported: boolean;
  @ApiProperty({ type: [String] }) grant_types_supported: string[];
  @ApiProperty({ type: [String] }) token_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String] }) introspection_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String] }) revocation_endpoint_auth_methods_supported: string[];
}

/** The OpenID configuration: the RFC 8414 metadata, plus the old contract's endpoints. */
export class OpenIdConfigurationDto extends AuthorizationServerMetadataDto {
  @ApiProperty({ description: 'POST /login (the old contract)' }) login_endpoint: string;
  @ApiProperty({ description: 'GET /refresh (the old contract)' }) refresh_endpoint: string;
  @ApiProperty({ description: 'GET /status (the old contract)' }) status_endpoint: string;
  @ApiProperty({ description: 'POST /logout (the old contract)' }) logout_endpoint: string;
  @ApiProperty({ description: 'OpenID Connect userinfo' }) userinfo_endpoint: string;
  @ApiProperty({ description: 'OpenID Connect RP-initiated logout' }) end_session_endpoint: string;
  @ApiProperty({ type: [String] }) prompt_values_supported: string[];
  @ApiProperty({ description: 'Internal port only' }) session_validity_endpoint: string;
  @ApiProperty({ type: [String] }) subject_types_supported: string[];
  @ApiProperty({ type: [String] }) id_token_signing_alg_values_supported: string[];
  @ApiPropertyOptional({ type: [String] }) claims_supported: string[];
}
