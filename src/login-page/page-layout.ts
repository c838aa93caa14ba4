import { html, type SafeHtml } from './html.js';
import type { ResolvedBranding } from './page-branding.js';

/**
 * The one style element, its nonce the only one the CSP allows. Plain system fonts and no external
 * resource but the logo: nothing for the policy to open up. Colours meet WCAG AA on the card.
 */
function style(branding: ResolvedBranding, nonce: string): SafeHtml {
  return html`<style nonce="${nonce}">
    :root {
      --brand: ${branding.brand};
      --on-brand: ${branding.onBrand};
      --focus: ${branding.focus};
      color-scheme: light;
    }
    *,
    *::before,
    *::after {
      box-sizing: border-box;
    }
    html {
      font-family:
        system-ui,
        -apple-system,
        'Segoe UI',
        Roboto,
        'Helvetica Neue',
        Arial,
        sans-serif;
      font-size: 100%;
      line-height: 1.5;
    }
    body {
      margin: 0;
      min-height: 100vh;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 1rem;
      background: #f3f4f6;
      color: #111827;
    }
    main {
      width: 100%;
      max-width: 24rem;
      padding: 2rem;
      background: #ffffff;
      border: 1px solid #d1d5db;
      border-radius: 0.75rem;
      box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
    }
    .logo {
      display: block;
      max-width: 100%;
      max-height: 4rem;
      margin: 0 auto 1.25rem;
    }
    h1 {
      margin: 0 0 1.25rem;
      font-size: 1.5rem;
      line-height: 1.25;
      text-align: center;
      overflow-wrap: anywhere;
    }
    p {
      margin: 0 0 1rem;
      overflow-wrap: anywhere;
    }
    main > :last-child {
      margin-bottom: 0;
    }
    .alert {
      padding: 0.75rem 1rem;
      border: 1px solid #b91c1c;
      border-radius: 0.5rem;
      background: #fef2f2;
      color: #991b1b;
    }
    label {
      display: block;
      margin: 0 0 0.25rem;
      font-weight: 600;
    }
    input {
      display: block;
      width: 100%;
      margin: 0 0 1rem;
      padding: 0.625rem 0.75rem;
      font: inherit;
      color: inherit;
      background: #ffffff;
      border: 1px solid #6b7280;
      border-radius: 0.5rem;
    }
    button {
      display: block;
      width: 100%;
      margin-top: 0.5rem;
      padding: 0.75rem 1rem;
      font: inherit;
      font-weight: 600;
      color: var(--on-brand);
      background: var(--brand);
      border: 1px solid transparent;
      border-radius: 0.5rem;
      cursor: pointer;
    }
    button:hover {
      filter: brightness(0.92);
    }
    :focus-visible {
      outline: 3px solid var(--focus);
      outline-offset: 2px;
    }
    input:focus {
      outline: 3px solid var(--focus);
      outline-offset: 1px;
      border-color: #111827;
    }
    @media (max-width: 30rem) {
      body {
        padding: 0;
        align-items: stretch;
      }
      main {
        max-width: none;
        border: 0;
        border-radius: 0;
        box-shadow: none;
        padding: 1.5rem 1.25rem;
      }
    }
    @media (forced-colors: active) {
      button {
        border-color: ButtonText;
      }
    }
  </style>`;
}

/** A complete HTML5 document: no script, no external resource but the logo, the branding's look. */
export function pageDocument(input: { branding: ResolvedBranding; title: string; nonce: string; body: SafeHtml }): string {
  const { branding, title, nonce, body } = input;
  const logo = branding.logoUrl !== undefined && html`<img class="logo" src="${branding.logoUrl}" alt="${branding.displayName}" />`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        ${style(branding, nonce)}
      </head>
      <body>
        <main>${logo} ${body}</main>
      </body>
    </html> `.toString();
}
