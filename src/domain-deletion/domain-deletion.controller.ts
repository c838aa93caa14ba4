import { Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { DomainDeletionService } from './domain-deletion.service.js';

@AdminController('admin/domains')
export class DomainDeletionController {
  constructor(private readonly deletion: DomainDeletionService) {}

  @Delete(':domain')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a disabled domain: its users, sessions, clients and keys (its events stay until their retention ends)',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 404: 'Unknown domain', 409: 'domain_not_disabled: disable it first' })
  delete(@Param('domain') name: string): Promise<void> {
    return this.deletion.delete(name);
  }
}
