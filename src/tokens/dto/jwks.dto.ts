import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ example: 'EC' }) kty: string;
  @ApiProperty() kid: string;
  @ApiProperty({ example: 'ES256' }) alg: string;
  @ApiProperty({ example: 'sig' }) use: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto], description: 'Public keys: pending, current and previous versions' })
  keys: JwkDto[];
}
