import { Body, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ADMIN_API_ACTOR } from '../common/admin-token.guard.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ValidationFailed } from '../common/errors.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainDto } from './dto/create-domain.dto.js';
import { DomainDto } from './dto/domain.dto.js';
import { DomainSettingsDto } from './dto/domain-settings.dto.js';

@AdminController('admin/domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a domain and its first signing key' })
  @ApiCreatedResponse({ type: DomainDto })
  @ApiErrors({ 400: 'Invalid body', 409: 'Domain exists' })
  create(@Body() body: CreateDomainDto): Promise<DomainDto> {
    return this.domains.create(body, ADMIN_API_ACTOR);
  }

  @Get()
  @ApiOperation({ summary: 'List domains' })
  @ApiOkResponse({ type: [DomainDto] })
  list(): Promise<DomainDto[]> {
    return this.domains.list();
  }

  @Get(':domain')
  @ApiOperation({ summary: 'Get one domain' })
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors({ 404: 'Unknown domain' })
  get(@Param('domain') name: string): Promise<DomainDto> {
    return this.domains.get(name);
  }

  @Patch(':domain')
  @ApiOperation({
    summary: "Change a domain's settings: lifetimes, CORS origins, rotation period, password and throttling rules, login page branding",
  })
  @ApiOkResponse({ type: DomainDto })
  @ApiBody({ type: DomainSettingsDto, description: 'The settings to change; the others stay (null removes a branding setting)' })
  @ApiErrors({ 400: 'Invalid body', 404: 'Unknown domain' })
  update(@Param('domain') name: string, @Body() body: DomainSettingsDto, @Req() request: FastifyRequest): Promise<DomainDto> {
    // The validation pipe turns a missing body (or JSON `null`) into an empty one: every field is optional.
    if (typeof request.body !== 'object' || request.body === null) throw new ValidationFailed('A JSON object of settings is required');
    return this.domains.updateSettings(name, body);
  }

  @Post(':domain/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a domain: its users can no longer log in or refresh' })
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors({ 404: 'Unknown domain' })
  disable(@Param('domain') name: string): Promise<DomainDto> {
    return this.domains.setStatus(name, 'disabled');
  }

  @Post(':domain/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled domain' })
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors({ 404: 'Unknown domain' })
  enable(@Param('domain') name: string): Promise<DomainDto> {
    return this.domains.setStatus(name, 'active');
  }
}
