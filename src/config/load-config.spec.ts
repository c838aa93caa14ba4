import { InvalidConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives working defaults with an empty environment: embedded store, admin API off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      internalPort: 3001,
      store: 'embedded',
      createTables: true,
      adminToken: undefined,
      accessTokenTtlSeconds: 300,
      sessionTtlSeconds: 604800,
      publicUrl: 'http://localhost:3000',
      corsOrigins: [],
      tokenHeaders: ['authorization', 'authorizationjwt'],
    });
  });

  it('reads the token from AUTH_HEADER too, and refuses a name that is no header name', () => {
    expect(loadConfig({ AUTH_HEADER: 'X-Auth-Token' }).tokenHeaders).toEqual(['authorization', 'authorizationjwt', 'x-auth-token']);
    expect(() => loadConfig({ AUTH_HEADER: 'bad header:' })).toThrow(/AUTH_HEADER must be a header name/);
  });

  it.each([
    [{ AWS_ENDPOINT_URL: 'http://localhost:4566' }, 'aws'],
    [{ AWS_ACCESS_KEY_ID: 'AKIA...' }, 'aws'],
    [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, 'aws'],
    [{ STORE: 'embedded', AWS_PROFILE: 'dev' }, 'embedded'],
    [{}, 'embedded'],
  ])('chooses the store from %p → %s', (env, store) => {
    expect(loadConfig(env).store).toBe(store);
  });

  it('does not create tables in AWS unless told to', () => {
    expect(loadConfig({ STORE: 'aws' }).createTables).toBe(false);
    expect(loadConfig({ STORE: 'aws', CREATE_TABLES: 'true' }).createTables).toBe(true);
  });

  it('parses lists and trims the public URL', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.test, https://b.test,', PUBLIC_URL: 'https://auth.example.com/' });
    expect(config.corsOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(config.publicUrl).toBe('https://auth.example.com');
  });

  it('lists every problem at once', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        INTERNAL_PORT: '70000',
        STORE: 'cloud',
        ADMIN_TOKEN: 'short',
        LOG_LEVEL: 'loud',
        PUBLIC_URL: 'ftp://x',
      });
    expect(attempt).toThrow(InvalidConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidConfigError).problems).toHaveLength(6);
    }
  });

  it('refuses the same port for the public and internal API', () => {
    expect(() => loadConfig({ PORT: '8080', INTERNAL_PORT: '8080' })).toThrow(/INTERNAL_PORT must differ/);
  });
});
