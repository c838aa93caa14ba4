import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';

/**
 * `application/x-www-form-urlencoded` bodies, parsed by the WHATWG URLSearchParams parser (the
 * format's reference algorithm), for the routes `accepts` names only: anywhere else a form is
 * refused with 415, as before, so a cross-site HTML form cannot post to the JSON API.
 */
export function installFormBodyParser(fastify: FastifyInstance, accepts: (request: FastifyRequest) => boolean): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!accepts(request)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])), undefined);
      return;
    }
    done(null, new URLSearchParams(body as string));
  });
}
