// Single-use tokens under autocannon: every request needs the token the previous response returned.

/**
 * Autocannon requests that chain single-use tokens: each request takes a token from `pool`, and
 * each 200 puts the token it returned back, so the pool never runs dry while responses are 2xx.
 * `onToken(body, presented)` sees every successful response with the token it consumed.
 */
export function chainedRequests(pool, { path, build, tokenOf, onToken, problems }) {
  return [
    {
      method: path.method,
      path: path.url,
      setupRequest(request, context) {
        // An empty pool means earlier refreshes failed (already reported); this one then fails too.
        context.presented = pool.shift() ?? 'pool-exhausted';
        return build(request, context.presented);
      },
      onResponse(status, body, context) {
        if (status !== 200) {
          if (problems.length < 5) problems.push(`${path.method} ${path.url} -> ${status} ${body}`);
          return;
        }
        const parsed = JSON.parse(body);
        pool.push(tokenOf(parsed));
        onToken(parsed, context.presented);
      },
    },
  ];
}
