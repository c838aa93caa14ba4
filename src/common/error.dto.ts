import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDto {
  @ApiProperty({
    example: 'Invalid username or password',
    description: 'Human-readable message (fixed by the contract for login/refresh).',
  })
  error: string;

  @ApiProperty({ example: 'invalid_credentials', description: 'Stable machine-readable code.' })
  code: string;

  @ApiPropertyOptional({
    example: 'Invalid username or password',
    description: 'The same text as `error`, on the old service’s routes only (login, refresh, status, auth, logout): its clients read it.',
  })
  message?: string;
}
