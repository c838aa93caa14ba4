import { DEFAULT_BRAND_COLOR } from './page-branding.js';
import { pageSecurityHeaders } from './page-security-headers.js';
import { loginPage, logoutConfirmPage, messagePage } from './pages.js';

const NONCE = 'bm9uY2Utb2YtdGhlLXRlc3QtcGFnZQ';
const HOSTILE = `<script>alert("x")</script>'&\``;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;';

/** The page with its formatting evened out (the templates are prettier's to lay out): one space, `>` for `/>`. */
const squash = (page: string) => page.replace(/\s+/g, ' ').replace(/ ?\/>/g, '>');
const branding = (overrides: Record<string, string> = {}) => ({ name: 'acme', ...overrides });
const login = (overrides: Partial<Parameters<typeof loginPage>[0]> = {}) =>
  squash(
    loginPage({
      branding: branding(),
      action: '/domains/acme/login',
      hidden: { client_id: 'app' },
      csrfToken: 'csrf-1',
      nonce: NONCE,
      ...overrides,
    }),
  );
const logout = (overrides: Partial<Parameters<typeof logoutConfirmPage>[0]> = {}) =>
  squash(
    logoutConfirmPage({
      branding: branding(),
      action: '/domains/acme/logout',
      hidden: {},
      csrfToken: 'csrf-1',
      nonce: NONCE,
      ...overrides,
    }),
  );
const message = (overrides: Partial<Parameters<typeof messagePage>[0]> = {}) =>
  squash(messagePage({ branding: branding(), title: 'You are signed out', message: 'See you soon.', nonce: NONCE, ...overrides }));

/** The start tag of the element with this id or name. */
const tag = (page: string, attribute: string) => page.match(new RegExp(`<[a-z]+ [^>]*${attribute}[^>]*>`))?.[0];
const brandOf = (page: string) => page.match(/--brand: ([^;]*);/)?.[1];

describe('the login page', () => {
  it('is a complete HTML5 document in English, sized for phones, sending no referrer', () => {
    const page = login();
    expect(page.startsWith('<!doctype html> <html lang="en">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('is titled after the display name, falling back to the domain name', () => {
    expect(login({ branding: branding({ displayName: 'Acme Corp' }) })).toContain('<title>Sign in to Acme Corp</title>');
    expect(login()).toContain('<title>Sign in to acme</title>');
    expect(login()).toContain('<h1>Sign in to acme</h1>');
  });

  it('posts the form, with the CSRF token and the request carried as hidden inputs', () => {
    const page = login({ hidden: { client_id: 'app', state: 'xyz' } });
    expect(page).toContain('<form method="post" action="/domains/acme/login">');
    expect(page).toContain('<input type="hidden" name="csrf_token" value="csrf-1">');
    expect(page).toContain('<input type="hidden" name="client_id" value="app">');
    expect(page).toContain('<input type="hidden" name="state" value="xyz">');
    expect(page).toContain('<button type="submit">Sign in</button>');
  });

  it('has a username and a password input, each tied to its label', () => {
    const page = login();
    const labels = [...page.matchAll(/<label for="([^"]+)">/g)].map((match) => match[1]);
    expect(labels).toEqual(['username', 'password']);
    for (const id of labels) expect(tag(page, `id="${id}"`)).toContain(`name="${id}"`);
    const username = tag(page, 'id="username"');
    for (const attribute of ['type="text"', 'autocomplete="username"', 'autocapitalize="none"', ' required'])
      expect(username).toContain(attribute);
    const password = tag(page, 'id="password"');
    for (const attribute of ['type="password"', 'autocomplete="current-password"', ' required']) expect(password).toContain(attribute);
  });

  it('puts the focus on the username, or on the password once the username is filled in', () => {
    expect(tag(login(), 'id="username"')).toContain(' autofocus');
    expect(tag(login(), 'id="password"')).not.toContain('autofocus');
    const again = login({ username: 'ann' });
    expect(tag(again, 'id="username"')).toContain('value="ann"');
    expect(tag(again, 'id="username"')).not.toContain('autofocus');
    expect(tag(again, 'id="password"')).toContain(' autofocus');
  });

  it('shows an error as an alert above the form, and none when there is none', () => {
    const page = login({ error: 'Wrong username or password' });
    const alert = page.indexOf('<p class="alert" role="alert">Wrong username or password</p>');
    expect(alert).toBeGreaterThan(-1);
    expect(alert).toBeLessThan(page.indexOf('<form'));
    expect(login()).not.toContain('role="alert"');
  });

  it('escapes every value that comes from a user, an admin or a client', () => {
    const page = login({
      branding: branding({ displayName: HOSTILE }),
      hidden: { state: `"><script>x</script>`, [`a"b`]: 'v' },
      username: `ann" autofocus onfocus="x`,
      error: HOSTILE,
      csrfToken: `"><b>`,
    });
    expect(page).toContain(`<title>Sign in to ${ESCAPED}</title>`);
    expect(page).toContain(`<p class="alert" role="alert">${ESCAPED}</p>`);
    expect(page).toContain('name="state" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(page).toContain('name="a&quot;b" value="v"');
    expect(page).toContain('value="ann&quot; autofocus onfocus=&quot;x"');
    expect(page).toContain('name="csrf_token" value="&quot;&gt;&lt;b&gt;"');
    expect(page).not.toMatch(/<script|onfocus="/i);
  });

  it('does not let a carried parameter shadow one of the form’s own fields', () => {
    const page = login({ hidden: { csrf_token: 'forged', password: 'x', username: 'y', scope: 'openid' } });
    expect(page.match(/name="csrf_token"/g)).toHaveLength(1);
    expect(page.match(/name="password"/g)).toHaveLength(1);
    expect(page.match(/name="username"/g)).toHaveLength(1);
    expect(page).toContain('name="scope" value="openid"');
  });

  it.each(['https://evil.example/login', '//evil.example/login', '/\\evil.example', 'login', '/a b'])(
    'refuses the form action %j: forms post to a path of this service',
    (action) => {
      expect(() => login({ action })).toThrow('form action must be a path');
    },
  );

  it('shows the logo with the display name as its text, only an https one', () => {
    const page = login({ branding: branding({ displayName: 'Acme', logoUrl: 'https://cdn.acme.test/logo.svg?a=1&b="2"' }) });
    expect(page).toContain('<img class="logo" src="https://cdn.acme.test/logo.svg?a=1&amp;b=&quot;2&quot;" alt="Acme">');
    expect(login()).not.toContain('<img');
    expect(login({ branding: branding({ logoUrl: 'javascript:alert(1)' }) })).not.toContain('<img');
    expect(login({ branding: branding({ logoUrl: 'http://cdn.acme.test/logo.svg' }) })).not.toContain('<img');
  });
});

describe.each([
  ['login page', (overrides: { branding?: ReturnType<typeof branding>; nonce?: string }) => login(overrides)],
  ['message page', (overrides: { branding?: ReturnType<typeof branding>; nonce?: string }) => message(overrides)],
  ['logout confirmation page', (overrides: { branding?: ReturnType<typeof branding>; nonce?: string }) => logout(overrides)],
])('every page: the %s', (_page, render) => {
  it('has no script at all, so it works with JavaScript off and a CSP without script-src', () => {
    expect(render({ branding: branding({ displayName: HOSTILE }) })).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
  });

  it('has one style element, carrying the nonce', () => {
    const page = render({});
    expect(page.match(/<style/g)).toHaveLength(1);
    expect(page).toContain(`<style nonce="${NONCE}">`);
    expect(page).not.toMatch(/ style=/);
  });

  it('sets --brand from the brand colour, as given', () => {
    expect(brandOf(render({ branding: branding({ brandColor: '#0B5fFF' }) }))).toBe('#0B5fFF');
    expect(brandOf(render({}))).toBe(DEFAULT_BRAND_COLOR);
  });

  it.each(['red', '#fff', '#12345g', '#1234567', '#123456; } main { display: none', '#123456\n', ' #123456', 'url(x)'])(
    'uses the default colour instead of %j',
    (brandColor) => {
      const page = render({ branding: branding({ brandColor }) });
      expect(brandOf(page)).toBe(DEFAULT_BRAND_COLOR);
      expect(page).not.toContain('display: none');
    },
  );

  it('keeps the button readable on a light brand colour, and the focus ring visible', () => {
    const page = render({ branding: branding({ brandColor: '#ffe600' }) });
    expect(page).toContain('--on-brand: #111827;');
    expect(page).toContain('--focus: #111827;');
    expect(render({})).toContain('--on-brand: #ffffff;');
    expect(render({})).toContain(`--focus: ${DEFAULT_BRAND_COLOR};`);
  });
});

describe('the message page', () => {
  it('shows an error as an alert by default, titled with the display name', () => {
    const page = message({
      title: 'This sign-in link is not valid',
      message: 'Start again from the app.',
      branding: branding({ displayName: 'Acme' }),
    });
    expect(page).toContain('<title>This sign-in link is not valid – Acme</title>');
    expect(page).toContain('<h1>This sign-in link is not valid</h1>');
    expect(page).toContain('<p class="alert" role="alert">Start again from the app.</p>');
    expect(page).not.toContain('<form');
  });

  it('shows news as plain text', () => {
    const page = message({ status: 'info' });
    expect(page).toContain('<p>See you soon.</p>');
    expect(page).not.toContain('role="alert"');
  });

  it('escapes its title and message', () => {
    const page = message({ title: HOSTILE, message: HOSTILE });
    expect(page).toContain(`<h1>${ESCAPED}</h1>`);
    expect(page).toContain(`role="alert">${ESCAPED}</p>`);
  });
});

describe('the logout confirmation page', () => {
  it('asks, and signs out with a POST carrying the CSRF token and the request', () => {
    const page = logout({ branding: branding({ displayName: 'Acme' }), hidden: { post_logout_redirect_uri: 'https://app.test/?a=1&b=2' } });
    expect(page).toContain('<title>Sign out of Acme?</title>');
    expect(page).toContain('<h1>Sign out of Acme?</h1>');
    expect(page).toContain('<form method="post" action="/domains/acme/logout">');
    expect(page).toContain('<input type="hidden" name="csrf_token" value="csrf-1">');
    expect(page).toContain('<input type="hidden" name="post_logout_redirect_uri" value="https://app.test/?a=1&amp;b=2">');
    expect(page).toContain('<button type="submit">Sign out</button>');
  });

  it('escapes the display name and the carried values', () => {
    const page = logout({ branding: branding({ displayName: HOSTILE }), hidden: { state: HOSTILE } });
    expect(page).toContain(`<h1>Sign out of ${ESCAPED}?</h1>`);
    expect(page).toContain(`name="state" value="${ESCAPED}"`);
  });

  it('refuses a form action that is not a path', () => {
    expect(() => logout({ action: '//evil.example' })).toThrow('form action must be a path');
  });
});

describe('the security headers of a page', () => {
  it('allow only the nonce’s style, https images and forms posting here or to the targets', () => {
    expect(pageSecurityHeaders(NONCE, ['https://app.acme.test', 'com.acme.app:'])).toEqual({
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${NONCE}'; img-src https:; form-action 'self' https://app.acme.test com.acme.app:; frame-ancestors 'none'; base-uri 'none'`,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Content-Type': 'text/html; charset=utf-8',
    });
  });

  it('allow forms to post here only when there is no target, and name a target once', () => {
    expect(pageSecurityHeaders(NONCE, [])['Content-Security-Policy']).toContain("form-action 'self'; ");
    expect(pageSecurityHeaders(NONCE, ['https://a.test', 'https://a.test'])['Content-Security-Policy']).toContain(
      "form-action 'self' https://a.test; ",
    );
  });

  it.each(["abc'; script-src *", 'short', 'with space in it 0123456789'])('refuse the nonce %j', (nonce) => {
    expect(() => pageSecurityHeaders(nonce, [])).toThrow('CSP nonce');
  });

  it.each(['https://a.test; script-src *', 'https://a.test https://b.test', "'unsafe-inline'", '*', 'https://a.test/path', ''])(
    'refuse the form target %j',
    (target) => {
      expect(() => pageSecurityHeaders(NONCE, [target])).toThrow('Not a CSP source expression');
    },
  );
});
