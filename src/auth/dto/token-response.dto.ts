import { ApiProperty } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'Signed JWT (ES256 by default) with a kid header; carries the single-use refresh credential.' })
  token: string;
}

export class TokenStatusDto {
  @ApiProperty({ description: 'The signature verifies (expired or not) and the session is neither revoked nor over' }) valid: boolean;
  @ApiProperty({ description: 'exp has passed' }) expired: boolean;
  @ApiProperty({
    example: 'Active for 4 minutes',
    description: 'The old service’s text: `Active for N minutes|seconds` or `Expired N minutes|seconds`',
  })
  expiryString: string;
}

export class IdentityDto {
  @ApiProperty({ example: 'shop' }) domain: string;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ description: 'The session id (the token’s `session` claim)' }) session: string;
}
