import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/load-config.js';
import { PasswordPolicy } from './password-policy.js';

const rejection = (code: string) => expect.objectContaining({ status: 400, code });

describe('PasswordPolicy (offline)', () => {
  const policy = new PasswordPolicy(loadConfig({}));

  it.each(['correct-horse-battery-staple', 'Tr0ub4dor&3-but-longer', 'пароль-на-русском', '長いパスワードです'])(
    'accepts %p',
    async (password) => {
      await expect(policy.check(password)).resolves.toBeUndefined();
    },
  );

  it('refuses fewer characters than the domain asks, counting characters, not bytes', async () => {
    await expect(policy.check('short7!')).rejects.toEqual(rejection('password_too_short'));
    await expect(policy.check('a-fine-passphrase', 20)).rejects.toEqual(rejection('password_too_short'));
    await expect(policy.check('長いパスワードで', 8)).resolves.toBeUndefined(); // 8 characters, 24 bytes
  });

  it.each(['password123', 'PASSWORD123', 'qwertyuiop', 'iloveyou1'])('refuses the common password %p', async (password) => {
    await expect(policy.check(password)).rejects.toEqual(rejection('password_too_common'));
  });
});

describe('PasswordPolicy with Have I Been Pwned', () => {
  const breached = 'not-common-but-breached-4711';
  const sha1 = createHash('sha1').update(breached).digest('hex').toUpperCase();
  let server: Server;
  let requested: string[];
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requested.push(request.url!);
      // The real API's shape: SUFFIX:COUNT lines, padded with zero-count entries.
      const lines = request.url === `/range/${sha1.slice(0, 5)}` ? [`${sha1.slice(5)}:42`] : [];
      response.end([...lines, '0000000000000000000000000000000000A:0'].join('\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (requested = []));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses a breached password, sending only the first 5 hex digits of its SHA-1', async () => {
    const policy = new PasswordPolicy(loadConfig({ HIBP_API_URL: url }));
    await expect(policy.check(breached)).rejects.toEqual(rejection('password_breached'));
    expect(requested).toEqual([`/range/${sha1.slice(0, 5)}`]);
    await expect(policy.check('correct-horse-battery-staple')).resolves.toBeUndefined();
  });

  it('lets the offline list decide when the API cannot be reached', async () => {
    const policy = new PasswordPolicy(loadConfig({ HIBP_API_URL: 'http://127.0.0.1:9' }));
    await expect(policy.check(breached)).resolves.toBeUndefined();
    await expect(policy.check('password123')).rejects.toEqual(rejection('password_too_common'));
  });
});
