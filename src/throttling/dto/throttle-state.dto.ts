import { ApiProperty } from '@nestjs/swagger';

export class ThrottleStateDto {
  @ApiProperty({ description: 'Failed logins of the account in its current window, from clients that never logged into it' })
  failures: number;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Until when such clients are refused with 429; null when they are not',
  })
  blockedUntil: string | null;
}
