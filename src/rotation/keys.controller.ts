import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ADMIN_API_ACTOR } from '../common/admin-token.guard.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { RotateQueryDto } from './dto/rotate-query.dto.js';
import { KeyVersionDto, RotationResultDto } from './dto/rotation.dto.js';
import { RotationService } from './rotation.service.js';

@AdminController('admin/domains/:domain/keys', { 404: 'Unknown domain' })
export class KeysController {
  constructor(private readonly rotation: RotationService) {}

  @Get()
  @ApiOperation({ summary: "The domain's key versions with their staging labels and who created them (no key material)" })
  @ApiOkResponse({ type: [KeyVersionDto] })
  list(@Param('domain') domain: string): Promise<KeyVersionDto[]> {
    return this.rotation.listKeys(domain);
  }

  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing key now: the old key stays verifiable as AWSPREVIOUS' })
  @ApiOkResponse({ type: RotationResultDto })
  @ApiErrors({
    400: 'force is neither true nor false',
    409: 'Another rotation is in progress, or the previous key may still sign live sessions',
  })
  rotate(@Param('domain') domain: string, @Query() { force }: RotateQueryDto): Promise<RotationResultDto> {
    return this.rotation.rotate(domain, ADMIN_API_ACTOR, { force });
  }
}
