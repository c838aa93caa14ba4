// A real browser for e2e suites (Debian's Chromium, driven by playwright-core), and a loopback server
// that plays a client app's redirect URI. run-tests.mjs installs Chromium and sets CHROMIUM_PATH.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package puts it here; run-tests.mjs passes the path it checked (or installed). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// CI reaches no internet host (package registries aside): without these, Chromium's background
// fetches (component updates, sync, QUIC probes, first-run) hang or slow every launch. Chromium
// refuses to start its sandbox as root, which CI runs as, and there is no GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium; close it in afterAll. Use one `browser.newContext()` per test for fresh cookies. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface RedirectCatcher {
  /** The redirect URI to register for the client: `http://127.0.0.1:PORT/callback`. */
  readonly url: string;
  /** Every request received so far, in order, as full URLs (query included). */
  readonly requests: readonly URL[];
  /**
   * The oldest request not yet taken, or the next one to come: queued, so a redirect that lands
   * before the test asks is not lost. Rejects after `timeoutMs` without one.
   */
  nextRequest(timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

/** Starts a loopback HTTP server standing in for a client app's redirect URI: it answers 200 to anything. */
export async function startRedirectCatcher(): Promise<RedirectCatcher> {
  const requests: URL[] = [];
  const unread: URL[] = [];
  const waiting: ((url: URL) => void)[] = [];
  let origin = '';

  const server = createServer((request, response) => {
    // Our own origin, not the Host header: what the browser was sent to is what the test compares.
    const url = new URL(request.url ?? '/', origin);
    requests.push(url);
    const waiter = waiting.shift();
    if (waiter) waiter(url);
    else unread.push(url);
    // The data: icon stops Chromium asking for /favicon.ico, which would queue as a second request.
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end('<!doctype html><link rel="icon" href="data:,"><title>callback</title><p id="callback">callback received</p>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/callback`,
    requests,
    nextRequest(timeoutMs = 10_000) {
      const queued = unread.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<URL>((resolve, reject) => {
        const take = (url: URL) => {
          clearTimeout(timer);
          resolve(url);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(take), 1);
          reject(new Error(`no request reached the redirect catcher at ${origin} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(take);
      });
    },
    close() {
      // Chromium keeps connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
