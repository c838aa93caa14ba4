import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRoute } from '../common/page-route.js';
import { SignInService } from './sign-in.service.js';

/** The raw query of a request, parsed as a form is (repeated parameters kept, to be refused). */
export function queryOf(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

/** A form body, or an empty one for anything else (the checks then refuse it). */
export function formOf(request: FastifyRequest): URLSearchParams {
  return request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
}

/**
 * The authorization endpoint (RFC 6749 §3.1) and the hosted login form it shows: a browser
 * endpoint answering in HTML and redirects, so it stays out of the JSON API's description.
 */
@ApiExcludeController()
@Controller('domains/:domain/oauth2/authorize')
export class AuthorizeController {
  constructor(private readonly signIn: SignInService) {}

  @Get()
  @PageRoute()
  authorize(@Param('domain') domain: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.signIn.authorize(domain, queryOf(request), request, reply);
  }

  /** The login form's POST: the request's parameters ride along as hidden fields and are checked again. */
  @Post()
  @PageRoute()
  submit(@Param('domain') domain: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.signIn.submit(domain, formOf(request), request, reply);
  }
}
