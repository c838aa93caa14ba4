import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** Who sent a request, as a session records it at its start and its owner later sees it. */
export interface RequestClient {
  /** `request.ip`: the socket's peer, or the client X-Forwarded-For names behind TRUSTED_PROXIES only. */
  clientAddress: string;
  /** The `User-Agent` header, cut to USER_AGENT_MAX_LENGTH; absent when the client sent none. */
  userAgent?: string;
}

/** A header is the client's to make up; what a session stores of it is ours to bound. */
export const USER_AGENT_MAX_LENGTH = 256;

export function requestClient(request: { ip: string; headers: IncomingHttpHeaders }): RequestClient {
  const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX_LENGTH);
  return { clientAddress: request.ip, ...(userAgent && { userAgent }) };
}

/** The RequestClient of the request a handler serves. */
export const ClientOfRequest = createParamDecorator((_data: unknown, context: ExecutionContext): RequestClient =>
  requestClient(context.switchToHttp().getRequest<{ ip: string; headers: IncomingHttpHeaders }>()),
);
