import { REDACTED } from '../logging/redact.js';
import { isClean, scrubAttributes } from './scrub-attributes.js';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('scrubAttributes', () => {
  it('cuts the query string and fragment off every URL attribute, and drops url.query', () => {
    const scrubbed = scrubAttributes({
      'url.path': '/domains/shop/oauth2/logout?id_token_hint=abc&state=s',
      'url.full': 'https://auth.example.com/refresh?token=t#frag',
      'http.target': '/status?token=t',
      'http.url': 'http://x/y?z',
      'url.query': 'id_token_hint=abc',
      'http.route': '/domains/:domain/oauth2/logout',
    });
    expect(scrubbed).toEqual({
      'url.path': '/domains/shop/oauth2/logout',
      'url.full': 'https://auth.example.com/refresh',
      'http.target': '/status',
      'http.url': 'http://x/y',
      'http.route': '/domains/:domain/oauth2/logout',
    });
  });

  it('redacts attributes named after a credential, by the last part of their name', () => {
    expect(
      scrubAttributes({
        'http.request.header.authorization': ['Bearer t'],
        'http.request.header.cookie': ['session=s'],
        'http.response.header.set-cookie': ['session=s'],
        'http.request.header.x-api-key': ['k'],
        'app.password': 'p',
        'app.refresh_token': 'r',
        'client.secret': 's',
        'aws.secretsmanager.secret.arn': 'arn:aws:secretsmanager:eu-west-1:1:secret:auth/domains/shop-AbC',
      }),
    ).toEqual({
      'http.request.header.authorization': REDACTED,
      'http.request.header.cookie': REDACTED,
      'http.response.header.set-cookie': REDACTED,
      'http.request.header.x-api-key': REDACTED,
      'app.password': REDACTED,
      'app.refresh_token': REDACTED,
      'client.secret': REDACTED,
      'aws.secretsmanager.secret.arn': 'arn:aws:secretsmanager:eu-west-1:1:secret:auth/domains/shop-AbC',
    });
  });

  it('redacts values shaped like a JWT, an argon2 hash or an Authorization header, wherever they are', () => {
    expect(
      scrubAttributes({
        'app.note': `token was ${JWT}`,
        'app.list': ['fine', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'],
        'app.nested': { header: 'Basic YWxpY2U6cHc=', ok: 1 },
        'user_agent.original': 'curl/8.5.0',
      }),
    ).toEqual({
      'app.note': REDACTED,
      'app.list': ['fine', REDACTED],
      'app.nested': { header: REDACTED, ok: 1 },
      'user_agent.original': 'curl/8.5.0',
    });
  });

  it('drops statements, item collection keys and exception messages and stacks (they quote their input)', () => {
    expect(
      scrubAttributes({
        'db.query.text': '{"Key":{"username":"alice"}}',
        'aws.dynamodb.item_collection_metrics': ['{"ItemCollectionKey":{}}'],
        'exception.type': 'SyntaxError',
        'exception.message': 'Unexpected token in JSON: {"password":"p',
        'exception.stacktrace': 'SyntaxError: Unexpected token in JSON: {"password":"p\n    at JSON.parse',
      }),
    ).toEqual({ 'exception.type': 'SyntaxError' });
  });

  it("leaves the caller's attributes as they were", () => {
    const attributes = { 'url.path': '/a?b', 'app.password': 'p' };
    scrubAttributes(attributes);
    expect(attributes).toEqual({ 'url.path': '/a?b', 'app.password': 'p' });
  });
});

describe('isClean', () => {
  it("says so of a request's usual attributes, which then need no scrubbing", () => {
    const attributes = {
      'http.request.method': 'GET',
      'url.path': '/refresh',
      'http.route': '/refresh',
      'server.port': 3000,
      'aws.dynamodb.table_names': ['auth-sessions'],
      'user_agent.original': 'curl/8.5.0',
    };
    expect(isClean(attributes)).toBe(true);
    expect(scrubAttributes(attributes)).toEqual(attributes);
  });

  it.each([
    ['a URL with a query', { 'url.path': '/logout?id_token_hint=abc' }],
    ['a URL with a fragment', { 'url.full': 'https://auth.example.com/#frag' }],
    ['a dropped key', { 'url.query': 'a=b' }],
    ['a credential-named key', { 'http.request.header.authorization': ['x'] }],
    ['a credential-shaped value', { 'app.note': JWT }],
    ['one in an array', { 'app.list': ['fine', 'Bearer abc'] }],
    ['one nested', { 'app.nested': { hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' } }],
  ])('says not of attributes with %s', (_, attributes) => {
    expect(isClean(attributes)).toBe(false);
    expect(scrubAttributes(attributes)).not.toEqual(attributes);
  });
});
