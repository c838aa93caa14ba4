import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRoute } from '../common/page-route.js';
import { formOf, queryOf } from './authorize.controller.js';
import { LogoutService } from './logout.service.js';

/** The end_session_endpoint: GET from an app's redirect, POST from the confirmation form. */
@ApiExcludeController()
@Controller('domains/:domain/oauth2/logout')
export class LogoutController {
  constructor(private readonly logouts: LogoutService) {}

  @Get()
  @PageRoute()
  logout(@Param('domain') domain: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.logouts.logout(domain, queryOf(request), request, reply, false);
  }

  @Post()
  @PageRoute()
  confirm(@Param('domain') domain: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.logouts.logout(domain, formOf(request), request, reply, true);
  }
}
