import { ApiProperty } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'Signed JWT (ES256 by default) with a kid header; carries the single-use refresh credential.' })
  token: string;
}

export class TokenStatusDto {
  @ApiProperty({ description: 'Signature good, not expired, session alive' }) valid: boolean;
  @ApiProperty() expired: boolean;
  @ApiProperty({ example: 'Active for 4 minutes' }) expiryString: string;
}
