import { html, type SafeHtml } from './html.js';
import { resolveBranding, type PageBranding } from './page-branding.js';
import { pageDocument } from './page-layout.js';

/** The fields the forms own; a hidden field of the same name would make the POST ambiguous. */
const FORM_FIELDS = new Set(['username', 'password', 'csrf_token']);

/**
 * A form posts to this service only: a path, never a URL or a protocol-relative `//host` (browsers
 * read a backslash as a slash there). The CSP's form-action says so too; this fails before sending.
 */
function formAction(action: string): string {
  if (!/^\/(?![/\\])/.test(action) || /[\\\s]/.test(action))
    throw new Error(`A page's form action must be a path, not ${JSON.stringify(action)}`);
  return action;
}

/** The CSRF token and the authorization request's parameters, carried through the POST unchanged. */
function hiddenFields(csrfToken: string, hidden: Record<string, string>): SafeHtml {
  const carried = Object.entries(hidden).filter(([name]) => !FORM_FIELDS.has(name));
  return html`<input type="hidden" name="csrf_token" value="${csrfToken}" /> ${carried.map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" /> `,
    )}`;
}

/** The sign-in form of the hosted login page: username and password, with the request carried along. */
export function loginPage(input: {
  branding: PageBranding;
  /** Where the form posts: a path of this service. */
  action: string;
  /** The authorization request's parameters, carried as hidden inputs. */
  hidden: Record<string, string>;
  csrfToken: string;
  /** Prefills the username (after a failed attempt); the password field then has the focus. */
  username?: string;
  /** Shown above the form, announced by screen readers (role=alert). */
  error?: string;
  /** The CSP nonce of the style element. */
  nonce: string;
}): string {
  const branding = resolveBranding(input.branding);
  const username = input.username ?? '';
  const title = `Sign in to ${branding.displayName}`;
  const body = html`<h1>${title}</h1>
    ${input.error && html`<p class="alert" role="alert">${input.error}</p>`}
    <form method="post" action="${formAction(input.action)}">
      ${hiddenFields(input.csrfToken, input.hidden)}<label for="username">Username</label>
      <input
        id="username"
        name="username"
        type="text"
        value="${username}"
        autocomplete="username"
        autocapitalize="none"
        autocorrect="off"
        spellcheck="false"
        required${username === '' && html` autofocus`}
      />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required${username !== '' && html` autofocus`} />
      <button type="submit">Sign in</button>
    </form>`;
  return pageDocument({ branding, title, nonce: input.nonce, body });
}

/**
 * A page that only says something: an error shown instead of redirecting (a redirect URI that cannot
 * be trusted, "This sign-in link is not valid") or an outcome ("You are signed out").
 */
export function messagePage(input: {
  branding: PageBranding;
  title: string;
  message: string;
  nonce: string;
  /** `error` (the default) marks the message as an alert; `info` is plain text. */
  status?: 'error' | 'info';
}): string {
  const branding = resolveBranding(input.branding);
  const message =
    (input.status ?? 'error') === 'error' ? html`<p class="alert" role="alert">${input.message}</p>` : html`<p>${input.message}</p>`;
  const body = html`<h1>${input.title}</h1>
    ${message}`;
  return pageDocument({ branding, title: `${input.title} – ${branding.displayName}`, nonce: input.nonce, body });
}

/** Asks before signing out (RP-initiated logout without a valid id_token_hint), with a POST form. */
export function logoutConfirmPage(input: {
  branding: PageBranding;
  /** Where the form posts: a path of this service. */
  action: string;
  /** The logout request's parameters, carried as hidden inputs. */
  hidden: Record<string, string>;
  csrfToken: string;
  nonce: string;
}): string {
  const branding = resolveBranding(input.branding);
  const title = `Sign out of ${branding.displayName}?`;
  const body = html`<h1>${title}</h1>
    <form method="post" action="${formAction(input.action)}">
      ${hiddenFields(input.csrfToken, input.hidden)}<button type="submit">Sign out</button>
    </form>`;
  return pageDocument({ branding, title, nonce: input.nonce, body });
}
