import { Body, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ClientDto, ClientWithSecretDto } from './dto/client.dto.js';
import { CreateClientDto } from './dto/create-client.dto.js';
import { RotateClientSecretDto } from './dto/rotate-client-secret.dto.js';
import { ClientsService } from './clients.service.js';

@AdminController('admin/domains/:domain/clients', { 404: 'Unknown domain or client' })
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an OAuth 2.0 client; a confidential one gets its secret in this answer only' })
  @ApiCreatedResponse({ type: ClientWithSecretDto })
  @ApiErrors({ 400: 'Invalid body or client metadata' })
  create(@Param('domain') domain: string, @Body() body: CreateClientDto): Promise<ClientWithSecretDto> {
    return this.clients.create(domain, body);
  }

  @Get()
  @ApiOperation({ summary: "List the domain's clients (no secrets)" })
  @ApiOkResponse({ type: [ClientDto] })
  list(@Param('domain') domain: string): Promise<ClientDto[]> {
    return this.clients.list(domain);
  }

  @Get(':clientId')
  @ApiOperation({ summary: 'Get one client (no secret)' })
  @ApiOkResponse({ type: ClientDto })
  get(@Param('domain') domain: string, @Param('clientId') clientId: string): Promise<ClientDto> {
    return this.clients.get(domain, clientId);
  }

  @Post(':clientId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a client: its credentials and refresh tokens are refused, its tokens introspect inactive' })
  @ApiOkResponse({ type: ClientDto })
  disable(@Param('domain') domain: string, @Param('clientId') clientId: string): Promise<ClientDto> {
    return this.clients.setStatus(domain, clientId, 'disabled');
  }

  @Post(':clientId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled client' })
  @ApiOkResponse({ type: ClientDto })
  enable(@Param('domain') domain: string, @Param('clientId') clientId: string): Promise<ClientDto> {
    return this.clients.setStatus(domain, clientId, 'active');
  }

  @Post(':clientId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a confidential client a new secret; the old one keeps working for the grace period (default 24 h)' })
  @ApiOkResponse({ type: ClientWithSecretDto })
  @ApiBody({ type: RotateClientSecretDto, required: false })
  @ApiErrors({ 400: 'Invalid body', 409: 'A public client has no secret' })
  rotateSecret(
    @Param('domain') domain: string,
    @Param('clientId') clientId: string,
    @Body() body: RotateClientSecretDto,
  ): Promise<ClientWithSecretDto> {
    return this.clients.rotateSecret(domain, clientId, body?.graceSeconds);
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client: its tokens introspect inactive and its refresh tokens stop working' })
  @ApiNoContentResponse()
  async delete(@Param('domain') domain: string, @Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(domain, clientId);
  }
}
