import { ApiProperty } from '@nestjs/swagger';

export class ErrorDto {
  @ApiProperty({
    example: 'Invalid username or password',
    description: 'Human-readable message (fixed by the contract for login/refresh).',
  })
  error: string;

  @ApiProperty({ example: 'invalid_credentials', description: 'Stable machine-readable code.' })
  code: string;
}
