import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** What the HTTP parser refuses before any route runs, in the API's `{ error, code }` shape. */
const ANSWERS: Record<string, [status: number, code: string, error: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'Request headers too large'],
};
const MALFORMED: [number, string, string] = [400, 'bad_request', 'Malformed HTTP request'];

/**
 * Node's `clientError` (both listeners): a malformed request, oversized headers, or a request that
 * did not arrive within the request/headers timeout. Answered and closed; a reset or an already
 * closed socket just goes away. Nothing here is worth a log line above debug: any client can cause it.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: message, code });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
