import { ApiProperty } from '@nestjs/swagger';

export class OpenIdConfigurationDto {
  @ApiProperty() issuer: string;
  @ApiProperty() jwks_uri: string;
  @ApiProperty({ description: 'POST /login' }) token_endpoint: string;
  @ApiProperty({ description: 'GET /refresh' }) refresh_endpoint: string;
  @ApiProperty({ description: 'GET /status' }) status_endpoint: string;
  @ApiProperty({ description: 'POST /logout' }) end_session_endpoint: string;
  @ApiProperty({ description: 'Internal port only' }) session_validity_endpoint: string;
  @ApiProperty({ type: [String] }) grant_types_supported: string[];
  @ApiProperty({ type: [String] }) response_types_supported: string[];
  @ApiProperty({ type: [String] }) subject_types_supported: string[];
  @ApiProperty({ type: [String] }) id_token_signing_alg_values_supported: string[];
  @ApiProperty({ type: [String] }) token_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String] }) claims_supported: string[];
}
