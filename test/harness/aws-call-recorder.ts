import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request an AWS SDK client sent: the SDK call it belongs to, and which attempt it was. */
export interface AwsAttempt {
  /** `GetItem`, `GetSecretValue`, ... (from X-Amz-Target) */
  operation: string;
  /** The SDK's id of the call: the same on every retry of it. */
  invocationId: string;
}

export interface AwsCallRecorder {
  /** `http://127.0.0.1:<port>`: point AWS_ENDPOINT_URL here. */
  url: string;
  attempts(): AwsAttempt[];
  /** The SDK calls made: each once, however many attempts it took. */
  calls(): AwsAttempt[];
  /** Until `recover`, every request is answered 500 InternalServerError (retryable: the SDK tries again). */
  fail(): void;
  recover(): void;
  close(): Promise<void>;
}

function attemptOf(request: IncomingMessage): AwsAttempt {
  const target = String(request.headers['x-amz-target'] ?? '');
  return { operation: target.slice(target.indexOf('.') + 1), invocationId: String(request.headers['amz-sdk-invocation-id'] ?? '') };
}

/**
 * An HTTP proxy in front of the AWS emulator that notes every request the SDK sends (to count SDK
 * calls independently of the spans), and can make the store fail on demand.
 */
export async function startAwsCallRecorder(target: string): Promise<AwsCallRecorder> {
  const { hostname, port } = new URL(target);
  const attempts: AwsAttempt[] = [];
  let failing = false;
  const server: Server = createServer((request, response) => {
    attempts.push(attemptOf(request));
    if (failing) {
      request.resume();
      response
        .writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalServerError' })
        .end('{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected by the test"}');
      return;
    }
    const upstream = forward({ host: hostname, port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: () => [...attempts],
    calls: () => [...new Map(attempts.map((attempt) => [attempt.invocationId, attempt])).values()],
    fail: () => (failing = true),
    recover: () => (failing = false),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
