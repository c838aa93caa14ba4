import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { CLIENT_BOUNDS, CLIENT_DEFAULTS } from '../client.js';

const { min, max } = CLIENT_BOUNDS.secretRotationGraceSeconds;

@ClosedBody()
export class RotateClientSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: min,
    maximum: max,
    default: CLIENT_DEFAULTS.secretRotationGraceSeconds,
    description: 'How long the old secret keeps working (0: not at all). A secret older than the old one stops at once.',
  })
  @MayBeOmitted()
  @IsInt()
  @Min(min)
  @Max(max)
  graceSeconds?: number;
}
