import { Body, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { CreateUserDto, PasswordDto } from './dto/create-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@AdminController('admin/domains/:domain/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user with a password' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors({ 400: 'Invalid body', 404: 'Unknown domain', 409: 'User exists' })
  create(@Param('domain') domain: string, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(domain, body.username, body.password);
  }

  @Get(':username')
  @ApiOperation({ summary: 'Get one user (never its password hash)' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors({ 404: 'Unknown user' })
  get(@Param('domain') domain: string, @Param('username') username: string): Promise<UserDto> {
    return this.users.get(domain, username);
  }

  @Put(':username/password')
  @ApiOperation({ summary: "Set a user's password" })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors({ 400: 'Invalid body', 404: 'Unknown user' })
  setPassword(@Param('domain') domain: string, @Param('username') username: string, @Body() body: PasswordDto): Promise<UserDto> {
    return this.users.setPassword(domain, username, body.password);
  }

  @Post(':username/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user: login and refresh fail from now on' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors({ 404: 'Unknown user' })
  disable(@Param('domain') domain: string, @Param('username') username: string): Promise<UserDto> {
    return this.users.setStatus(domain, username, 'disabled');
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled user' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors({ 404: 'Unknown user' })
  enable(@Param('domain') domain: string, @Param('username') username: string): Promise<UserDto> {
    return this.users.setStatus(domain, username, 'active');
  }
}
