import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';

/**
 * The query of a rotation. `force` is `true` or `false`, or absent: anything else is refused, not
 * read as false (what the global pipe makes of a boolean parameter), since a typo there decides
 * whether live sessions' tokens stop verifying.
 */
export class RotateQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Rotate even if the previous key may still sign live sessions (a compromised key)',
  })
  @MayBeOmitted()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  force?: boolean;
}
