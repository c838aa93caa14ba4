import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../keys/signing-key.js';
import { DOMAIN_NAME_PATTERN } from '../domain.js';
import { DomainSettingsDto } from './domain-settings.dto.js';

@ClosedBody()
export class CreateDomainDto extends DomainSettingsDto {
  @ApiProperty({
    example: 'acme',
    pattern: DOMAIN_NAME_PATTERN.source,
    description: 'Lowercase letters, digits and dashes, 1-63 characters.',
  })
  @IsString()
  @Matches(DOMAIN_NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes (1-63 characters)' })
  name: string;

  @ApiPropertyOptional({ enum: SIGNING_ALGORITHMS, default: 'ES256', description: 'HS256 is a legacy option (shared secret).' })
  @MayBeOmitted()
  @IsIn(SIGNING_ALGORITHMS)
  algorithm?: SigningAlgorithm;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'The `aud` claim of the tokens; defaults to the domain name.' })
  @MayBeOmitted()
  @IsString()
  @Length(1, 256)
  audience?: string;
}
