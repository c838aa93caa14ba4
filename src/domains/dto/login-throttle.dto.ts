import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';

@ClosedBody()
export class ThrottleRuleDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, description: 'Failures in the window before the first wait' })
  @IsInt()
  @Min(1)
  @Max(1000)
  failures: number;

  @ApiProperty({ type: 'integer', minimum: 60, maximum: 86400, description: 'The window, in seconds' })
  @IsInt()
  @Min(60)
  @Max(86400)
  windowSeconds: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 86400, description: 'The longest wait (waits double from 1 s)' })
  @IsInt()
  @Min(1)
  @Max(86400)
  maxWaitSeconds: number;
}

@ClosedBody()
export class LoginThrottleDto {
  @ApiProperty({ type: ThrottleRuleDto, description: 'One account, from clients that never logged into it' })
  @IsObject()
  @ValidateNested()
  @Type(() => ThrottleRuleDto)
  account: ThrottleRuleDto;

  @ApiProperty({ type: ThrottleRuleDto, description: 'One client address, across the usernames of the domain' })
  @IsObject()
  @ValidateNested()
  @Type(() => ThrottleRuleDto)
  address: ThrottleRuleDto;
}
